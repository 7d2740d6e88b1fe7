package io.duban.task.relay;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.observe.TraceParent;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.Metrics;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.RecentSpans;
import io.duban.testing.TestDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * One trace from a lifecycle action to the delivery of its events: the request's span writes its
 * traceparent into the outbox row, the relay's send span is its child, and the POST to
 * notification-service carries the send span as traceparent.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RelayReceiverPort.class, scope = TestResourceScope.GLOBAL)
class TracePropagationTest extends RelayReceiving {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecentSpans spans;

    /** event id → trace_parent of the item's outbox rows, in the order written. */
    private static Map<UUID, String> outbox(String itemId) throws Exception {
        Map<UUID, String> rows = new LinkedHashMap<>();
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement(
                        "SELECT id, trace_parent FROM task.outbox_event WHERE item_id = ? ORDER BY seq")) {
            s.setObject(1, UUID.fromString(itemId));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getObject(1, UUID.class), r.getString(2));
                }
            }
        }
        return rows;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String spanIdOf(String traceparent) {
        return traceparent.split("-")[2];
    }

    private SpanData spanById(String traceId, String spanId) {
        return spans.await(s -> s.getTraceId().equals(traceId) && s.getSpanId().equals(spanId), WAIT);
    }

    @Test
    void aDispatchItsEventDeliveryAndTheReceiversRequestAreOneTrace() throws Exception {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String item = Fixture.draft(lead, List.of(assist));
        // The caller (a gateway, a browser with tracing) started the trace.
        String traceId = hex(16);
        String callerSpan = hex(8);
        given().auth().oauth2(DevTokens.supervisor()).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .post("/api/v1/tasks/" + item + "/dispatch").then().statusCode(200);
        double deliveredBefore = Metrics.scrape().value("duban_outbox_delivered_total");

        Map<UUID, String> rows = outbox(item);
        assertEquals(2, rows.size(), "one ITEM_DISPATCHED per unit");
        SpanData action = spans.await(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER, WAIT);
        assertEquals(callerSpan, action.getParentSpanId(), "the action's span continues the caller's trace");
        assertEquals("/api/v1/tasks/{id}/dispatch", action.getAttributes().get(AttributeKey.stringKey("http.route")));
        for (String written : rows.values()) {
            assertNotNull(written, "the row keeps the trace it was written in");
            assertEquals(traceId, TraceParent.traceId(written));
            assertTrue(isWithin(spanById(traceId, spanIdOf(written)), action), "written inside the action's span");
        }

        drain();

        for (Map.Entry<UUID, String> row : rows.entrySet()) {
            String eventId = row.getKey().toString();
            SpanData send = spans.await(s -> eventId.equals(s.getAttributes().get(AttributeKey.stringKey("duban.event.id"))),
                    WAIT);
            assertEquals(traceId, send.getTraceId(), "the relay's send span is in the action's trace");
            assertEquals(spanIdOf(row.getValue()), send.getParentSpanId(), "a child of the span that wrote the event");
            assertEquals(SpanKind.CLIENT, send.getKind());
            String header = receiver.traceparent(row.getKey());
            assertNotNull(header, "the POST carries traceparent");
            assertEquals(traceId, TraceParent.traceId(header), "the receiver joins the same trace");
            assertEquals(send.getSpanId(), spanIdOf(header), "as a child of the send span");
        }
        assertEquals(deliveredBefore + 2, Metrics.scrape().value("duban_outbox_delivered_total"));
    }

    @Test
    void eventsSentInOneBatchEachCarryTheirOwnSendSpan() throws Exception {
        int batchesBefore = receiver.batches().size();
        Map<String, String> traceOfItem = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String item = Fixture.draft(Fixture.unit("B"), List.of());
            String traceId = hex(16);
            given().auth().oauth2(DevTokens.supervisor()).header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                    .post("/api/v1/tasks/" + item + "/dispatch").then().statusCode(200);
            traceOfItem.put(item, traceId);
        }

        drain();

        assertTrue(receiver.batches().subList(batchesBefore, receiver.batches().size()).stream().anyMatch(n -> n >= 2),
                "the three items' events went out together in a batch: " + receiver.batches());
        for (Map.Entry<String, String> item : traceOfItem.entrySet()) {
            for (UUID event : outbox(item.getKey()).keySet()) {
                SpanData send = spans.await(
                        s -> event.toString().equals(s.getAttributes().get(AttributeKey.stringKey("duban.event.id"))), WAIT);
                assertEquals(item.getValue(), send.getTraceId(), "each send span is in its own item's trace");
                String carried = receiver.traceparent(event);
                assertNotNull(carried, "the batch element carries a traceparent");
                assertEquals(send.getSpanId(), spanIdOf(carried), "its own send span, not the batch's");
            }
        }
    }

    @Test
    void anEventWrittenOutsideATraceIsSentInATraceOfItsOwn() throws Exception {
        String item = Fixture.dispatched(Fixture.unit("L"), List.of());
        Map<UUID, String> rows = outbox(item);
        UUID event = rows.keySet().iterator().next();
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement("UPDATE task.outbox_event SET trace_parent = NULL WHERE id = ?")) {
            s.setObject(1, event);
            s.executeUpdate();
        }

        drain();

        SpanData send = spans.await(s -> event.toString().equals(s.getAttributes().get(AttributeKey.stringKey("duban.event.id"))),
                WAIT);
        assertFalse(send.getParentSpanContext().isValid(), "a root span");
        assertEquals(send.getTraceId(), TraceParent.traceId(receiver.traceparent(event)));
    }

    /** Whether the span is the ancestor or a descendant of it, following parents within the trace. */
    private boolean isWithin(SpanData span, SpanData ancestor) {
        SpanData s = span;
        for (int depth = 0; depth < 20; depth++) {
            if (s.getSpanId().equals(ancestor.getSpanId())) {
                return true;
            }
            String parent = s.getParentSpanId();
            Optional<SpanData> up = spans.ofTrace(s.getTraceId()).stream().filter(p -> p.getSpanId().equals(parent))
                    .findFirst();
            if (up.isEmpty()) {
                return false;
            }
            s = up.get();
        }
        return false;
    }
}
