package io.duban.notification.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.events.Event;
import io.duban.notification.tracking.EventApplied;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /api/v1/events/batch: the relay's many events in one request, each applied once, in order. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class EventBatchIntakeTest {

    private static final String BATCH = "/api/v1/events/batch";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TrackedAssignments tracked;

    @Inject
    AppliedEventsRecorder recorder;

    private static String batch(Event... events) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("events");
        for (Event e : events) {
            ObjectNode element = list.addObject();
            element.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            element.set("event", JSON.readTree(SampleEvents.json(e)));
        }
        return body.toString();
    }

    private static ValidatableResponse post(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(BATCH).then();
    }

    private static long processed(List<UUID> eventIds) throws Exception {
        try (Connection c = TestDatabase.forModule("notification-service").admin(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM notification.processed_event WHERE event_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    void theEventsAreAppliedInTheOrderSentEachOnce() throws Exception {
        SampleEvents one = new SampleEvents();
        SampleEvents two = new SampleEvents();
        Event dispatched = one.dispatched("FGW");
        Event accepted = one.accepted("FGW");
        Event other = two.dispatched("ZJJ");

        post(DevTokens.service(), batch(dispatched, other, accepted)).statusCode(200)
                .body("results.eventId", equalTo(List.of(dispatched.eventId().toString(), other.eventId().toString(),
                        accepted.eventId().toString())))
                .body("results.applied", equalTo(List.of(true, true, true)));
        assertEquals(List.of(dispatched.eventId(), accepted.eventId()),
                recorder.of(one.itemId).stream().map(a -> a.event().eventId()).toList(), "the item's order kept");
        assertEquals(AssignmentStatus.IN_PROGRESS,
                QuarkusTransaction.requiringNew().call(() -> tracked.find(one.itemId, "FGW")).orElseThrow().status(),
                "the acceptance applied after the dispatch");

        // The relay sends the batch again with one new event (it died before marking the first delivered).
        Event progress = one.progress("FGW");
        post(DevTokens.service(), batch(dispatched, other, accepted, progress)).statusCode(200)
                .body("results.applied", equalTo(List.of(false, false, false, true)));
        List<EventApplied> seen = recorder.of(one.itemId);
        assertEquals(List.of(dispatched.eventId(), accepted.eventId(), progress.eventId()),
                seen.stream().map(a -> a.event().eventId()).toList(), "EventApplied once per event");
        assertEquals(4, processed(List.of(dispatched.eventId(), accepted.eventId(), progress.eventId(), other.eventId())));
    }

    @Test
    void aBadBatchIsAProblemAndAppliesNothing() throws Exception {
        SampleEvents item = new SampleEvents();
        Event good = item.dispatched("FGW");
        Event bad = item.accepted("FGW");
        ObjectNode body = (ObjectNode) JSON.readTree(batch(good, bad));
        ((ObjectNode) body.get("events").get(1).get("event")).remove("itemId");
        post(DevTokens.service(), body.toString()).statusCode(422).contentType("application/problem+json")
                .body("type", containsString("event-invalid")).body("detail", containsString("events[1]"))
                .body("detail", containsString("itemId"));
        assertEquals(0, processed(List.of(good.eventId(), bad.eventId())), "nothing of a refused batch is applied");

        post(DevTokens.service(), "{\"events\": [").statusCode(400).contentType("application/problem+json");
        for (String notABatch : List.of("{}", "{\"events\": []}", "{\"events\": {}}", "[]")) {
            post(DevTokens.service(), notABatch).statusCode(422).contentType("application/problem+json")
                    .body("type", containsString("event-batch-invalid"));
        }
        given().auth().oauth2(DevTokens.service()).header("Accept-Language", "en").contentType(ContentType.JSON)
                .body("{\"events\": []}").post(BATCH).then().statusCode(422)
                .body("detail", equalTo("The body must be a JSON object whose events array has 1 to "
                        + EventsResource.MAX_BATCH + " elements, each with an event in its event field."));
        ObjectNode tooOld = (ObjectNode) JSON.readTree(batch(good));
        ((ObjectNode) tooOld.get("events").get(0).get("event")).put("schemaVersion", 2);
        post(DevTokens.service(), tooOld.toString()).statusCode(422).body("type", containsString("event-unknown-version"));
        assertEquals(0, processed(List.of(good.eventId())));
    }

    @Test
    void onlyAServiceMaySendABatch() throws Exception {
        Event dispatched = new SampleEvents().dispatched("FGW");
        String body = batch(dispatched);
        for (String token : List.of(DevTokens.admin(), DevTokens.supervisor(), DevTokens.handler("FGW"))) {
            post(token, body).statusCode(403);
        }
        given().contentType(ContentType.JSON).body(body).post(BATCH).then().statusCode(401);
        assertEquals(0, processed(List.of(dispatched.eventId())));
        assertTrue(recorder.of(dispatched.itemId()).isEmpty());
    }
}
