package io.duban.task.relay;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Points the relay of every task-service test at a free loopback port, where {@link OutboxRelayTest}
 * runs its {@link EventReceiver}. Global, so that all the module's tests share one application (the
 * scheduler is off in tests: nothing is sent unless a test ticks the relay).
 */
public class RelayReceiverPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Map.of("duban.relay.notification-url", "http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
