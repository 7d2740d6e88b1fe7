package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.Rating;
import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.EventType;
import io.duban.common.events.Events;
import io.duban.task.domain.OutboxEvent;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.EventSchema;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.panache.common.Sort;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The producer's side of the event contract: whatever the lifecycle writes to the outbox is a
 * payload of the published schema, reads back through the shared codec into its record, and is
 * exactly what the codec writes.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxContractTest {

    private static final String TASKS = "/api/v1/tasks/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventSchema SCHEMA = EventSchema.load(Events.SCHEMA_RESOURCE);

    @Inject
    SettableClock clock;

    @AfterEach
    void restore() {
        clock.reset();
        importCalendar(HolidayCnFormat.shippedJson(2026)).statusCode(200);
    }

    @Test
    void everyEventTheLifecycleWritesIsAValidPayloadOfThePublishedSchema() throws Exception {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String wrong = Fixture.unit("W");
        String right = Fixture.unit("R");
        String sup = DevTokens.supervisor();
        String id = Fixture.draft(lead, List.of(assist, wrong));

        act(sup, TASKS + id + "/dispatch", null).statusCode(200);
        String etag = given().auth().oauth2(sup).get(TASKS + id).then().extract().header("ETag");
        given().auth().oauth2(sup).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("priority", "CRITICAL", "category", "安全生产")).patch(TASKS + id).then().statusCode(200);
        act(DevTokens.handler(lead), unitPath(id, lead, "accept"), null).statusCode(200);
        act(DevTokens.handler(assist), unitPath(id, assist, "accept"), null).statusCode(200);
        act(DevTokens.handler(wrong), unitPath(id, wrong, "decline"), Map.of("reason", "该事项不属本单位职责")).statusCode(200);
        act(sup, unitPath(id, wrong, "reassign"), Map.of("toUnit", right, "note", "改由" + right + "协办"))
                .statusCode(200);
        act(DevTokens.handler(right), unitPath(id, right, "accept"), null).statusCode(200);
        act(DevTokens.leader(), TASKS + id + "/instructions", Map.of("content", "请抓紧办理，确保按期完成。"))
                .statusCode(201);
        act(sup, TASKS + id + "/urge", Map.of("unitCode", right, "message", "请加快办理。")).statusCode(200);
        act(DevTokens.handler(assist), unitPath(id, assist, "progress"),
                Map.of("content", "已完成现场摸排。", "percent", 50, "helpNeeded", "需财政局明确资金来源")).statusCode(200);

        String original = given().auth().oauth2(sup).get(TASKS + id).then().extract().path("deadline");
        String later = LocalDate.parse(original).plusDays(10).toString();
        String approved = act(DevTokens.handler(lead), unitPath(id, lead, "extension-requests"),
                Map.of("requestedDeadline", later, "reason", "需等待上级资金批复")).statusCode(201).extract().path("id");
        act(sup, TASKS + id + "/extension-requests/" + approved + "/approve", Map.of("comment", "同意")).statusCode(200);
        String rejected = act(DevTokens.handler(assist), unitPath(id, assist, "extension-requests"),
                Map.of("requestedDeadline", later, "reason", "人手不足")).statusCode(201).extract().path("id");
        act(sup, TASKS + id + "/extension-requests/" + rejected + "/reject", Map.of("comment", "理由不充分"))
                .statusCode(200);

        act(DevTokens.handler(assist), unitPath(id, assist, "submit"), Map.of("summary", "协办部分已完成。"))
                .statusCode(200);
        act(DevTokens.handler(right), unitPath(id, right, "submit"), Map.of("summary", "资金测算已完成。"))
                .statusCode(200);
        act(DevTokens.handler(lead), unitPath(id, lead, "submit"), Map.of("summary", "改造方案已印发实施。"))
                .statusCode(200);
        act(sup, TASKS + id + "/review", Map.of("decision", "RETURN", "comment", "请补充资金落实情况")).statusCode(200);
        act(DevTokens.handler(lead), unitPath(id, lead, "submit"), Map.of("summary", "已补充资金落实情况。"))
                .statusCode(200);
        act(sup, TASKS + id + "/review", Map.of("decision", "APPROVE", "rating", "GOOD")).statusCode(200);

        String recomputed = itemWhoseWorkingDayDeadlineTheCalendarMoves();
        String draft = Fixture.draft(Fixture.unit("D"), List.of());
        act(sup, TASKS + draft + "/cancel", Map.of("reason", "重复立项")).statusCode(200);

        List<Event> events = new ArrayList<>();
        for (OutboxEvent row : Db.read(() -> OutboxEvent.<OutboxEvent>list("itemId in ?1",
                Sort.by("createdAt").and("type"), List.of(UUID.fromString(id), UUID.fromString(recomputed),
                        UUID.fromString(draft))))) {
            JsonNode payload = JSON.valueToTree(row.payload);
            assertEquals(List.of(), SCHEMA.problems(payload), row.type + ": " + payload);
            Event event = Events.read(payload);
            assertEquals(row.id, event.eventId());
            assertEquals(row.type, event.type().name());
            assertEquals(row.itemId, event.itemId());
            assertEquals(row.unitCode, event.unitCode());
            assertEquals(payload, Events.write(event), "the outbox holds what the codec writes");
            events.add(event);
        }
        assertEquals(EnumSet.allOf(EventType.class), events.stream().map(Event::type)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class))));

        // A few payloads in detail, read as their records.
        assertEquals(new EventData.ItemDispatched(wrong, right), only(events, EventType.ITEM_DISPATCHED, right).data());
        Event updated = only(events, EventType.ITEM_UPDATED, lead);
        assertEquals(List.of("priority", "category"), ((EventData.ItemUpdated) updated.data()).changed());
        assertEquals(Priority.CRITICAL, updated.priority());
        EventData.ProgressReported progress = (EventData.ProgressReported) only(events, EventType.PROGRESS_REPORTED,
                assist).data();
        assertEquals(50, progress.percent());
        assertEquals("需财政局明确资金来源", progress.helpNeeded());
        Event extended = only(events, EventType.EXTENSION_APPROVED, lead);
        assertEquals(new EventData.ExtensionApproved(UUID.fromString(approved), LocalDate.parse(original)),
                extended.data());
        assertEquals(LocalDate.parse(later), extended.deadline());
        assertEquals(new EventData.ItemUrged("请加快办理。", 1), only(events, EventType.ITEM_URGED, right).data());
        // Approval: one event per unit still holding the item, the one that declined has been reassigned away.
        assertEquals(Set.of(lead, assist, right), events.stream().filter(e -> e.type() == EventType.ITEM_COMPLETED)
                .map(Event::unitCode).collect(Collectors.toSet()));
        assertEquals(new EventData.ItemCompleted(Rating.GOOD, true), only(events, EventType.ITEM_COMPLETED, lead)
                .data());
        Event moved = events.stream().filter(e -> e.type() == EventType.DEADLINE_CHANGED).findFirst().orElseThrow();
        assertEquals(new EventData.DeadlineChanged(LocalDate.of(2026, 10, 12),
                EventData.DeadlineChanged.Reason.CALENDAR), moved.data());
        assertEquals(LocalDate.of(2026, 10, 13), moved.deadline());
        // A draft never reached a unit: its cancellation is about the item alone.
        Event cancelledDraft = events.stream().filter(e -> e.itemId().equals(UUID.fromString(draft))).findFirst()
                .orElseThrow();
        assertEquals(EventType.ITEM_CANCELLED, cancelledDraft.type());
        assertNull(cancelledDraft.unitCode());
        assertNull(cancelledDraft.status());
        assertEquals(AssignmentStatus.CANCELLED, events.stream().filter(e -> e.type() == EventType.ITEM_CANCELLED
                && e.unitCode() != null).findFirst().orElseThrow().status());
    }

    /**
     * An item due three working days after dispatch (on the eve of National Day: 12 October), moved to
     * 13 October when the office drops the 10 October make-up workday; then cancelled, so that no
     * later import moves it again.
     */
    private String itemWhoseWorkingDayDeadlineTheCalendarMoves() throws Exception {
        clock.pin(LocalDate.of(2026, 9, 30));
        Map<String, Object> body = new HashMap<>(Fixture.item(Fixture.unit("C"), List.of()));
        body.remove("deadline");
        body.put("deadlineWorkingDays", 3);
        String id = given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        clock.pin(LocalDate.of(2026, 10, 8));
        act(DevTokens.supervisor(), TASKS + id + "/dispatch", null).statusCode(200)
                .body("deadline", equalTo("2026-10-12"));

        ObjectNode corrected = (ObjectNode) JSON.readTree(HolidayCnFormat.shippedJson(2026));
        ArrayNode days = (ArrayNode) corrected.get("days");
        for (int i = days.size() - 1; i >= 0; i--) {
            if (days.get(i).get("date").asText().equals("2026-10-10")) {
                days.remove(i);
            }
        }
        importCalendar(JSON.writeValueAsString(corrected)).statusCode(200)
                .body("recomputedItems", greaterThanOrEqualTo(1));
        act(DevTokens.supervisor(), TASKS + id + "/cancel", Map.of("reason", "上级已另行部署")).statusCode(200);
        return id;
    }

    private static io.restassured.response.ValidatableResponse importCalendar(String body) {
        return given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/calendar/2026").then();
    }

    private static String unitPath(String id, String unit, String action) {
        return TASKS + id + "/assignments/" + unit + "/" + action;
    }

    private static Event only(List<Event> events, EventType type, String unit) {
        List<Event> found = events.stream().filter(e -> e.type() == type && unit.equals(e.unitCode())).toList();
        assertEquals(1, found.size(), type + " for " + unit + ": " + found);
        return found.get(0);
    }
}
