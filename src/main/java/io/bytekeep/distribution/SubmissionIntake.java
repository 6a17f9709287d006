package io.bytekeep.distribution;

import java.io.IOException;

import com.rabbitmq.client.Channel;

import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;

/**
 * The broker side of the queue intake route, which consumes with {@code acknowledgeMode=MANUAL}: the route
 * acknowledges a message itself, and only at the end, after the database transaction has committed (or after the
 * dead-letter queue confirmed a rejected message). A message that fails for a passing reason is given back to the
 * queue ({@code basic.nack} with requeue); one whose content can never be stored (a 4xx problem: unreadable,
 * invalid, too large) is a poison message and goes to the dead-letter queue with the reason.
 */
public class SubmissionIntake {

    /** Header of a dead-lettered message that says why it was rejected. */
    public static final String REASON_HEADER = "x-bytekeep-reason";
    static final int MAX_REASON_LENGTH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionIntake.class);

    private final String queue;

    public SubmissionIntake(String queue) {
        this.queue = queue;
    }

    /** First step: keeps the message as it arrived (for the dead-letter queue) and its delivery tag (for the ack). */
    public void received(Exchange exchange) {
        exchange.setProperty(ExchangeProperties.SUBMISSION_MESSAGE, exchange.getIn().getBody(byte[].class));
        exchange.setProperty(ExchangeProperties.SUBMISSION_DELIVERY_TAG, exchange.getIn().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class));
    }

    /** True when the failure is the message's fault (a problem below 500), so retrying cannot help. */
    public boolean isPoison(Exchange exchange) {
        Problem problem = problemOf(exchange);
        return problem != null && problem.status() < 500;
    }

    /** Makes the message for the dead-letter queue: the original bytes and content type, with the reason. */
    public void deadLetter(Exchange exchange) {
        Problem problem = problemOf(exchange);
        String reason = problem == null ? "rejected" : problem.status() + " " + problem.title() + ": " + problem.detail();
        if (reason.length() > MAX_REASON_LENGTH) {
            reason = reason.substring(0, MAX_REASON_LENGTH - 3) + "...";
        }
        LOG.warn("Submission queue {}: message {} rejected to {}.dlq: {}", queue,
                exchange.getIn().getHeader(SpringRabbitMQConstants.MESSAGE_ID), queue, reason);
        exchange.getMessage().removeHeaders("Camel*", SpringRabbitMQConstants.CONTENT_TYPE, SpringRabbitMQConstants.CONTENT_ENCODING,
                SpringRabbitMQConstants.MESSAGE_ID, SpringRabbitMQConstants.CORRELATION_ID, SpringRabbitMQConstants.APP_ID,
                SpringRabbitMQConstants.TIMESTAMP);
        exchange.getMessage().setHeader(REASON_HEADER, reason);
        exchange.getMessage().setBody(exchange.getProperty(ExchangeProperties.SUBMISSION_MESSAGE, byte[].class));
    }

    /** {@code basic.ack}: the message is done (its keys are committed, or it sits in the dead-letter queue). */
    public void ack(Exchange exchange) throws IOException {
        channel(exchange).basicAck(deliveryTag(exchange), false);
    }

    /** {@code basic.nack} with requeue: the message goes back to the queue, to be tried again. */
    public void requeue(Exchange exchange) throws IOException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Submission queue {}: message back to the queue, to be tried again: {}", queue,
                cause == null ? "unknown failure" : cause.toString());
        channel(exchange).basicNack(deliveryTag(exchange), false, true);
    }

    private static Problem problemOf(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Problem problem) {
                return problem;
            }
        }
        return null;
    }

    private static Channel channel(Exchange exchange) {
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        if (channel == null) {
            throw new IllegalStateException("no AMQP channel on the exchange: consume with acknowledgeMode=MANUAL");
        }
        return channel;
    }

    private static long deliveryTag(Exchange exchange) {
        Long tag = exchange.getProperty(ExchangeProperties.SUBMISSION_DELIVERY_TAG, Long.class);
        if (tag == null) {
            throw new IllegalStateException("no delivery tag: the route must call received() first");
        }
        return tag;
    }
}
