package io.duban.task.relay;import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.duban.testing.DevTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver standing where notification-service's POST /api/v1/events would be: it checks
 * the bearer token (signed by the dev key, role service), records each event it is sent, and answers
 * 200, or 503 for the items a test tells it to refuse, or holds an event until the test lets it go;
 * and POST /api/v1/events/batch likewise.
 */
final class EventReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    record Received(UUID eventId, UUID itemId, String type, boolean serviceToken, int answered) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<List<UUID>> batches = new CopyOnWriteArrayList<>();
    private final Set<UUID> refusedItems = ConcurrentHashMap.newKeySet();
    private final Map<UUID, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<UUID, CountDownLatch> arrived = new ConcurrentHashMap<>();
    private final Map<UUID, String> traceparents = new ConcurrentHashMap<>();

    EventReceiver(int port) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(threads);
        server.createContext(OutboxRelay.EVENTS_PATH, this::handle);
        server.createContext(OutboxRelay.BATCH_PATH, this::handleBatch);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            JsonNode event = JSON.readTree(in.readAllBytes());
            UUID eventId = UUID.fromString(event.path("eventId").asText());
            UUID itemId = UUID.fromString(event.path("itemId").asText());
            boolean service = DevTokens.serviceCaller(exchange.getRequestHeaders().getFirst("Authorization"))
                    .filter("task-service"::equals).isPresent();
            String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
            if (traceparent != null) {
                traceparents.put(eventId, traceparent);
            }
            arrived.computeIfAbsent(eventId, id -> new CountDownLatch(1)).countDown();
            CountDownLatch hold = held.get(eventId);
            if (hold != null) {
                try {
                    hold.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = !service ? 401 : refusedItems.contains(itemId) ? 503 : 200;
            received.add(new Received(eventId, itemId, event.path("type").asText(), service, status));
            byte[] body = (status == 200 ? "{\"applied\":true}" : "{\"status\":" + status + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * A batch, as notification-service takes it: all or nothing. Refused (503, nothing recorded) if
     * any of its items is refused; else each event recorded in the batch's order, as if sent alone.
     */
    private void handleBatch(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            JsonNode events = JSON.readTree(in.readAllBytes()).path("events");
            boolean service = DevTokens.serviceCaller(exchange.getRequestHeaders().getFirst("Authorization"))
                    .filter("task-service"::equals).isPresent();
            boolean refused = false;
            for (JsonNode element : events) {
                JsonNode event = element.path("event");
                UUID eventId = UUID.fromString(event.path("eventId").asText());
                refused |= refusedItems.contains(UUID.fromString(event.path("itemId").asText()));
                arrived.computeIfAbsent(eventId, id -> new CountDownLatch(1)).countDown();
            }
            for (JsonNode element : events) {
                CountDownLatch hold = held.get(UUID.fromString(element.path("event").path("eventId").asText()));
                if (hold != null) {
                    try {
                        hold.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            int status = !service ? 401 : refused ? 503 : 200;
            if (status == 200) {
                List<UUID> batch = new ArrayList<>();
                for (JsonNode element : events) {
                    batch.add(UUID.fromString(element.path("event").path("eventId").asText()));
                }
                batches.add(List.copyOf(batch));
                for (JsonNode element : events) {
                    JsonNode event = element.path("event");
                    if (element.path("traceparent").isTextual()) {
                        traceparents.put(UUID.fromString(event.path("eventId").asText()), element.path("traceparent").asText());
                    }
                    received.add(new Received(UUID.fromString(event.path("eventId").asText()),
                            UUID.fromString(event.path("itemId").asText()), event.path("type").asText(), true, 200));
                }
            }
            byte[] body = (status == 200 ? "{\"results\":[]}" : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The sizes of the batches answered 200, in order. */
    List<Integer> batches() {
        return batches.stream().map(List::size).toList();
    }

    /** The events of the batch (answered 200) the event came in, in the batch's order; empty if it came alone. */
    List<UUID> batchOf(UUID eventId) {
        return batches.stream().filter(b -> b.contains(eventId)).findFirst().orElse(List.of());
    }

    /** The requests for the item's events, in the order they were answered. */
    List<Received> of(UUID itemId) {
        return received.stream().filter(r -> r.itemId().equals(itemId)).toList();
    }

    /** The traceparent the event's last request carried (its header, or its element's field in a batch), if any. */
    String traceparent(UUID eventId) {
        return traceparents.get(eventId);
    }

    void refuse(UUID itemId) {
        refusedItems.add(itemId);
    }

    void accept(UUID itemId) {
        refusedItems.remove(itemId);
    }

    /** The event's request waits, once it arrives, until {@link #release}. */
    void hold(UUID eventId) {
        held.put(eventId, new CountDownLatch(1));
    }

    void release(UUID eventId) {
        held.remove(eventId).countDown();
    }

    /** Waits until the event's request has arrived (a condition, not a time). */
    void awaitArrival(UUID eventId) throws InterruptedException {
        if (!arrived.computeIfAbsent(eventId, id -> new CountDownLatch(1)).await(120, TimeUnit.SECONDS)) {
            throw new AssertionError("event " + eventId + " never arrived");
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
