import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * A downstream consumer of the RawFileReceived queue for the load clients: consumes (auto-ack) and counts, so that the
 * broker holds no backlog a real deployment would not have and the run can check that every accepted upload's event
 * was delivered.
 */
public final class EventDrain implements AutoCloseable {

    private final Connection connection;
    private final AtomicLong events = new AtomicLong();

    public EventDrain(String uri, String queue, String name) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        connection = factory.newConnection(name);
        Channel channel = connection.createChannel();
        channel.basicQos(500);
        channel.basicConsume(queue, true, (tag, delivery) -> events.incrementAndGet(), tag -> { });
    }

    public long events() {
        return events.get();
    }

    /** Waits until at least {@code expected} events arrived or {@code timeoutMillis} passed; returns the count. */
    public long awaitAtLeast(long expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (events.get() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return events.get();
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    public String closeReason() {
        return String.valueOf(connection.getCloseReason());
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
