package io.bytekeep.platform.edge;

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

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.ServletProblem;

/**
 * Camel's Spring Boot platform-http consumer with two changes at the edge: the caller the {@link EdgeFilter}
 * authenticated is on the exchange before the first step, and a body refused half-way (too large, too slow) is
 * answered with its problem and what was spooled of it is deleted at once, instead of a 500 and a spool file that
 * stays on disk until restart.
 */
final class EdgeHttpConsumer extends SpringBootPlatformHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHttpConsumer.class);

    private final HttpBinding binding;

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
        Object caller = request.getAttribute(Caller.EXCHANGE_PROPERTY);
        if (caller != null) {
            exchange.setProperty(Caller.EXCHANGE_PROPERTY, caller);
        }
        HttpHelper.setCharsetFromContentType(request.getContentType(), exchange);
        PlatformHttpMessage message = new PlatformHttpMessage(request, response, exchange, binding, false);
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
            afterProcess(response, exchange);
        }
    }

    private static void answerUnreadBody(HttpServletRequest request, HttpServletResponse response, RuntimeException unread)
            throws java.io.IOException {
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
