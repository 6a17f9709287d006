package io.bytekeep.platform.edge;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpBinding;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConstants;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.http.common.HttpBinding;
import org.apache.camel.http.common.HttpHelper;
import org.apache.camel.support.UnitOfWorkHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.ServletProblem;

/**
 * Camel's Spring Boot platform-http consumer with two changes at the edge: the caller the {@link EdgeFilter}
 * authenticated is on the exchange before the first step, and a body refused half-way (too large, too slow) is
 * answered with its problem and what was spooled of it is deleted at once, instead of a 500 and a spool file that
 * stays on disk until restart. An operation whose route says {@code streamCache: "false"} gets the body as the
 * connection's stream, unread: no copy in Camel's stream cache before the route reads it itself.
 */
final class EdgeHttpConsumer extends SpringBootPlatformHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHttpConsumer.class);

    private static final int STREAMED_ANSWER_BUFFER_BYTES = 128 * 1024;

    private final HttpBinding binding;
    private volatile Boolean readsBodyItself;

    EdgeHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, Executor executor) {
        super(endpoint, processor, executor);
        binding = new SpringBootPlatformHttpBinding();
        binding.setHeaderFilterStrategy(endpoint.getHeaderFilterStrategy());
        binding.setMuteException(endpoint.isMuteException());
        binding.setFileNameExtWhitelist(endpoint.getFileNameExtWhitelist());
        binding.setUseReaderForPayload(!endpoint.isUseStreaming());
    }

    @Override
    protected void handleService(HttpServletRequest request, HttpServletResponse response) throws Exception {
        if (isSuspended()) {
            ServletProblem.write(request, response, Problem.unavailable(
                    "this endpoint's route is suspended; retry in " + Problem.RETRY_AFTER_SECONDS + " s", null));
            return;
        }
        Exchange exchange = createExchange(true);
        exchange.setPattern(ExchangePattern.InOut);
        Object caller = request.getAttribute(ExchangeProperties.CALLER);
        if (caller != null) {
            exchange.setProperty(ExchangeProperties.CALLER, caller);
        }
        HttpHelper.setCharsetFromContentType(request.getContentType(), exchange);
        boolean readsBodyItself = readsBodyItself();
        PlatformHttpMessage message = readsBodyItself
                ? new ConnectionBodyMessage(request, response, exchange, binding)
                : new PlatformHttpMessage(request, response, exchange, binding, false);
        exchange.setIn(message);
        try {
            message.init(exchange, binding, request, response);
        } catch (RuntimeException unread) {
            answerUnreadBody(request, response, unread);
            // the exchange never reaches a route: only its completions run, which delete what was spooled of the body
            UnitOfWorkHelper.doneSynchronizations(exchange, exchange.getExchangeExtension().handoverCompletions());
            releaseExchange(exchange, false);
            return;
        }
        createUoW(exchange);
        exchange.getIn().setHeader(SpringBootPlatformHttpConstants.CONTEXT_PATH, getEndpoint().getPath());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            prepareAnswer(request, response, exchange.getMessage().getBody(), readsBodyItself);
            afterProcess(response, exchange);
        }
    }

    /** What Camel's writing of the answer does not know: an unread rest of the body, and a streamed answer's pieces. */
    private static void prepareAnswer(HttpServletRequest request, HttpServletResponse response, Object answer,
                                      boolean readsBodyItself) throws IOException {
        // answered before its body was read to the end (refused, or failed): the rest is not read, so the connection
        // closes after the answer, which says so, with its length (a client still sending must not read up to a reset)
        if (readsBodyItself && !request.getInputStream().isFinished()) {
            response.setHeader("Connection", "close");
            if (answer instanceof byte[] bytes) {
                response.setContentLength(bytes.length);
            }
        }
        if (answer instanceof InputStream && !response.isCommitted()) {
            // Camel copies a streamed answer out in pieces of the response buffer and flushes each one: Tomcat's
            // 8 KiB made a 1 GiB download 131,072 writes (about 250 MB/s here; 128 KiB pieces about 290 MB/s)
            response.setBufferSize(STREAMED_ANSWER_BUFFER_BYTES);
        }
    }

    /** Whether this operation's route says {@code streamCache: "false"} (known once the routes run; asked once). */
    private boolean readsBodyItself() {
        Boolean known = readsBodyItself;
        if (known == null) {
            known = getEndpoint().getCamelContext().getRoutes().stream()
                    // the route's consumer is Camel's platform-http consumer (a REST operation's, too) wrapping this one
                    .filter(route -> route.getConsumer() != null && route.getConsumer().getEndpoint() == getEndpoint())
                    .anyMatch(route -> Boolean.FALSE.equals(route.isStreamCaching()));
            readsBodyItself = known;
        }
        return known;
    }

    /**
     * Camel's message of a request whose body stays the connection's stream, unread until the route reads it:
     * {@link PlatformHttpMessage#init} converts every body to a stream cache (a whole upload copied to the spool
     * directory before the first step), and only that is left out here.
     */
    private static final class ConnectionBodyMessage extends PlatformHttpMessage {

        ConnectionBodyMessage(HttpServletRequest request, HttpServletResponse response, Exchange exchange, HttpBinding binding) {
            super(request, response, exchange, binding, false);
        }

        @Override
        public void init(Exchange exchange, HttpBinding binding, HttpServletRequest request, HttpServletResponse response) {
            // the binding then hands out the servlet's stream instead of caching it
            exchange.setProperty(Exchange.DISABLE_HTTP_STREAM_CACHE, true);
            setExchange(exchange);
            exchange.setIn(this);
            setHeader(Exchange.HTTP_SERVLET_REQUEST, request);
            setHeader(Exchange.HTTP_SERVLET_RESPONSE, response);
            if (Boolean.TRUE.equals(exchange.getProperty(Exchange.SKIP_WWW_FORM_URLENCODED, Boolean.class))) {
                setHeader(Exchange.SKIP_WWW_FORM_URLENCODED, Boolean.TRUE);
            }
            binding.readRequest(request, this);
        }
    }

    private static void answerUnreadBody(HttpServletRequest request, HttpServletResponse response, RuntimeException unread)
            throws IOException {
        Problem problem = refusal(unread);
        if (problem == null) {
            LOG.info("{} {}: the request body could not be read: {}", request.getMethod(), request.getRequestURI(),
                    unread.toString());
            problem = Problem.badRequest("the request body could not be read");
        }
        if (!response.isCommitted()) {
            EdgeFilter.refuse(request, response, problem);
        }
    }

    private static Problem refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyRefused refused) {
                return refused.problem();
            }
        }
        return null;
    }
}
