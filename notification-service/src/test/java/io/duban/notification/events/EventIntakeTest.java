package io.duban.notification.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.events.Event;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.TrackedAssignment;
import io.duban.notification.tracking.TrackedAssignments;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** POST /api/v1/events: each event applied once, with its effects, or not at all. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class EventIntakeTest {

    private static final String EVENTS = "/api/v1/events";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TrackedAssignments tracked;

    @Inject
    AppliedEventsRecorder recorder;

    static ValidatableResponse post(String body) {
        return given().auth().oauth2(DevTokens.service()).contentType(ContentType.JSON).body(body).post(EVENTS).then();
    }

    private Optional<TrackedAssignment> copy(UUID item, String unit) {
        return QuarkusTransaction.requiringNew().call(() -> tracked.find(item, unit));
    }

    private static long processed(UUID eventId) throws Exception {
        try (Connection c = TestDatabase.forModule("notification-service").admin();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM notification.processed_event WHERE event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    void anEventIsAppliedOnceAndARedeliveryChangesNothing() throws Exception {
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("FGW");
        post(SampleEvents.json(dispatched)).statusCode(200).body("applied", equalTo(true))
                .body("eventId", equalTo(dispatched.eventId().toString())).body("type", equalTo("ITEM_DISPATCHED"));
        Event accepted = item.accepted("FGW");
        post(SampleEvents.json(accepted)).statusCode(200).body("applied", equalTo(true));
        TrackedAssignment afterAccept = copy(item.itemId, "FGW").orElseThrow();

        // The relay sends the dispatch again (it died before marking it delivered): nothing changes.
        post(SampleEvents.json(dispatched)).statusCode(200).body("applied", equalTo(false));
        post(SampleEvents.json(accepted)).statusCode(200).body("applied", equalTo(false));

        assertEquals(afterAccept, copy(item.itemId, "FGW").orElseThrow());
        assertEquals(AssignmentStatus.IN_PROGRESS, afterAccept.status());
        assertEquals(accepted.occurredAt().toInstant(), afterAccept.acceptedAt().toInstant());
        assertEquals(dispatched.occurredAt().toInstant(), afterAccept.dispatchedAt().toInstant());
        List<EventApplied> seen = recorder.of(item.itemId);
        assertEquals(List.of(dispatched.eventId(), accepted.eventId()), seen.stream().map(a -> a.event().eventId()).toList(),
                "EventApplied fired once per applied event, none for a redelivery");
        assertNull(seen.get(0).before());
        assertEquals(AssignmentStatus.PENDING_ACCEPTANCE, seen.get(0).after().status());
        assertEquals(seen.get(0).after(), seen.get(1).before());
        assertEquals(afterAccept, seen.get(1).after());
        assertEquals(1, processed(dispatched.eventId()));
    }

    @Test
    void theItemsFieldsReachEveryUnitsCopy() {
        SampleEvents item = new SampleEvents();
        post(SampleEvents.json(item.dispatched("FGW"))).statusCode(200);
        post(SampleEvents.json(item.dispatched("ZJJ"))).statusCode(200);
        post(SampleEvents.json(item.completed("FGW"))).statusCode(200);
        assertEquals("COMPLETED", copy(item.itemId, "ZJJ").orElseThrow().itemStatus().name(),
                "the other unit's copy knows the item is completed");
        assertEquals(AssignmentStatus.PENDING_ACCEPTANCE, copy(item.itemId, "ZJJ").orElseThrow().status(),
                "its own assignment is as its last event left it");
        Event alone = item.cancelledDraft();
        post(SampleEvents.json(alone)).statusCode(200).body("applied", equalTo(true));
        EventApplied last = recorder.of(item.itemId).get(recorder.of(item.itemId).size() - 1);
        assertEquals(alone.eventId(), last.event().eventId());
        assertNull(last.before());
        assertNull(last.after());
    }

    @Test
    void anEventWhoseEffectsFailIsNotRecordedAndItsRedeliveryAppliesIt() throws Exception {
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("JTJ");
        recorder.failFor(item.itemId);
        try {
            post(SampleEvents.json(dispatched)).statusCode(500);
        } finally {
            recorder.heal(item.itemId);
        }
        assertEquals(0, processed(dispatched.eventId()), "the id is recorded with the effects, or not at all");
        assertTrue(copy(item.itemId, "JTJ").isEmpty());

        post(SampleEvents.json(dispatched)).statusCode(200).body("applied", equalTo(true));
        assertEquals(1, processed(dispatched.eventId()));
        assertEquals(1, recorder.of(item.itemId).size());
    }

    @Test
    void twoDeliveriesOfOneEventAtOnceApplyItOnce() throws Exception {
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("SWJ");
        // Hold the event id's key as a first delivery in flight would; the second waits for it.
        try (Connection c = TestDatabase.forModule("notification-service").admin()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO notification.processed_event "
                    + "(event_id, type, item_id, unit_code, occurred_at, applied_at) VALUES (?, 'ITEM_DISPATCHED', ?, 'SWJ', now(), now())")) {
                s.setObject(1, dispatched.eventId());
                s.setObject(2, item.itemId);
                s.executeUpdate();
            }
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                    () -> post(SampleEvents.json(dispatched)).statusCode(200).extract().<Boolean>path("applied"));
            awaitWaitingOnLock();
            c.commit();
            assertEquals(false, second.get(60, TimeUnit.SECONDS), "the first delivery committed: the second finds it");
        }
        assertTrue(copy(item.itemId, "SWJ").isEmpty(), "and applies nothing of its own");

        Event accepted = item.dispatched("SWK");
        try (Connection c = TestDatabase.forModule("notification-service").admin()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO notification.processed_event "
                    + "(event_id, type, item_id, unit_code, occurred_at, applied_at) VALUES (?, 'ITEM_DISPATCHED', ?, 'SWK', now(), now())")) {
                s.setObject(1, accepted.eventId());
                s.setObject(2, item.itemId);
                s.executeUpdate();
            }
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                    () -> post(SampleEvents.json(accepted)).statusCode(200).extract().<Boolean>path("applied"));
            awaitWaitingOnLock();
            c.rollback();
            assertEquals(true, second.get(60, TimeUnit.SECONDS), "the first delivery failed: the second applies it");
        }
        assertTrue(copy(item.itemId, "SWK").isPresent());
    }

    /** Until a session of the service waits for a lock (pg_stat_activity), without sleeping for time. */
    private static void awaitWaitingOnLock() throws Exception {
        try (Connection c = TestDatabase.forModule("notification-service").admin();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND usename = 'duban_notification' AND wait_event_type = 'Lock'")) {
            for (int i = 0; i < 100_000; i++) {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the second delivery never waited for the first");
    }

    @Test
    void anUnknownSchemaVersionIs422AndChangesNothing() throws Exception {
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("FGW");
        ObjectNode tree = (ObjectNode) JSON.readTree(SampleEvents.json(dispatched));
        tree.put("schemaVersion", 2);
        post(tree.toString()).statusCode(422).contentType("application/problem+json")
                .body("type", containsString("event-unknown-version")).body("detail", containsString("2"));
        given().auth().oauth2(DevTokens.service()).header("Accept-Language", "en").contentType(ContentType.JSON)
                .body(tree.toString()).post(EVENTS).then().statusCode(422)
                .body("detail", equalTo("The event has schemaVersion 2; this service accepts version 1 only."));
        assertEquals(0, processed(dispatched.eventId()));
        assertTrue(copy(item.itemId, "FGW").isEmpty());
    }

    @Test
    void aPayloadThatIsNotAnEventIsRefused() throws Exception {
        post("{\"schemaVersion\": 1").statusCode(400).contentType("application/problem+json");
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("FGW");
        ObjectNode tree = (ObjectNode) JSON.readTree(SampleEvents.json(dispatched));
        tree.remove("itemId");
        post(tree.toString()).statusCode(422).body("type", containsString("event-invalid"))
                .body("detail", containsString("itemId"));
        tree = (ObjectNode) JSON.readTree(SampleEvents.json(dispatched));
        tree.put("type", "ITEM_EXPLODED");
        post(tree.toString()).statusCode(422).body("type", containsString("event-invalid"));
        assertEquals(0, processed(dispatched.eventId()));
    }

    @Test
    void onlyAServiceMayDeliverEvents() throws Exception {
        Event dispatched = new SampleEvents().dispatched("FGW");
        for (String token : List.of(DevTokens.admin(), DevTokens.supervisor(), DevTokens.handler("FGW"))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(SampleEvents.json(dispatched)).post(EVENTS)
                    .then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(SampleEvents.json(dispatched)).post(EVENTS).then().statusCode(401);
        assertEquals(0, processed(dispatched.eventId()));
    }
}
