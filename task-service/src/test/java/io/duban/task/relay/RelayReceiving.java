package io.duban.task.relay;

import jakarta.inject.Inject;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the relay's tests share: notification-service's stand-in ({@link EventReceiver}) on the port
 * the relay is configured to send to, started once per test class and stopped after it, and an outbox
 * drained before each test.
 */
abstract class RelayReceiving {

    static EventReceiver receiver;

    @Inject
    OutboxRelay relay;

    @Inject
    RelayConfig config;

    @BeforeEach
    void receiverAndAnEmptyOutbox() throws Exception {
        if (receiver == null) {
            receiver = new EventReceiver(URI.create(config.notificationUrl().toString()).getPort());
        }
        drain();
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }

    /** Ticks until a tick delivers nothing more; how many it delivered. */
    int drain() {
        int delivered = 0;
        for (OutboxRelay.Tick t = relay.tick(); t.delivered() > 0; t = relay.tick()) {
            delivered += t.delivered();
        }
        return delivered;
    }
}
