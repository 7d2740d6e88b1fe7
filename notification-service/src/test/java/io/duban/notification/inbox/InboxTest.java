package io.duban.notification.inbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.security.Caller;
import io.duban.notification.reminders.ReminderPolicy;
import io.duban.notification.reminders.ReminderPolicyService;
import io.duban.notification.reminders.ReminderScheduler;
import io.duban.notification.support.CalendarSourceResource;
import io.duban.notification.support.Intake;
import io.duban.notification.support.Story;
import io.duban.notification.tracking.NotificationCreated;
import io.duban.testing.DevTokens;
import io.duban.testing.Pages;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox, urges and the reminder policy over HTTP, as handlers, the office and admins use them. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CalendarSourceResource.class, scope = TestResourceScope.GLOBAL)
class InboxTest {

    @Inject
    SettableClock clock;
    @Inject
    Intake intake;
    @Inject
    ReminderScheduler scheduler;
    @Inject
    ReminderPolicyService policies;
    @Inject
    NoticesSeen seen;

    @BeforeEach
    void defaultPolicy() {
        clock.pin(LocalDate.of(2026, 9, 1));
        policies.replace(ReminderPolicy.defaults(), null, new Caller("admin-t", Set.of("admin"), null));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static JsonPath inbox(String token) {
        return given().auth().oauth2(token).get("/api/v1/me/notifications").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> only(JsonPath page) {
        List<Map<String, Object>> items = page.getList("items");
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    @Test
    void anUrgeIsANoticeTheUnitAcknowledgesAndTheOfficeSeesHowLongItWaitedInWorkingHours() {
        clock.pin(LocalDateTime.of(2026, 9, 30, 16, 30));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("URG"), LocalDate.of(2026, 12, 31)).accepted();
        UUID eventId = s.urged("请于本周内报送办理进展");
        String handler = DevTokens.handler(s.unit());

        Map<String, Object> urge = only(inbox(handler));
        assertEquals("URGE", urge.get("kind"));
        assertEquals(true, urge.get("ackRequired"));
        assertTrue(((String) urge.get("subject")).startsWith("【催办】" + s.assignment().itemNumber() + "（第1次催办）"));
        assertTrue(((String) urge.get("body")).contains("请于本周内报送办理进展"), (String) urge.get("body"));
        String id = (String) urge.get("id");
        NotificationCreated fired = seen.all().stream().filter(n -> n.notificationId().toString().equals(id)).findFirst()
                .orElseThrow();
        assertEquals("URGE", fired.kind());
        assertEquals(s.unit(), fired.unitCode());
        assertEquals(s.assignment().itemNumber(), fired.values().get("itemNumber"));
        assertTrue(eventId != null);

        // 16:30-17:30 on 30 September, nothing through 国庆, 09:00-10:00 on 8 October: two hours.
        clock.pin(LocalDateTime.of(2026, 10, 8, 10, 0));
        List<Map<String, Object>> waiting = Pages.all(DevTokens.supervisor(), "/api/v1/urges/unacknowledged", 2);
        Map<String, Object> mine = waiting.stream().filter(w -> ((Map<?, ?>) w.get("urge")).get("id").equals(id))
                .findFirst().orElseThrow();
        assertEquals(120, ((Number) mine.get("waitedWorkingMinutes")).intValue());

        given().auth().oauth2(DevTokens.handler("OTHER")).post("/api/v1/notifications/" + id + "/ack").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(handler).post("/api/v1/notifications/" + id + "/ack").then().statusCode(200)
                .body("acknowledgedAt", notNullValue()).body("acknowledgedBy", equalTo("handler-" + s.unit().toLowerCase()));
        given().auth().oauth2(handler).post("/api/v1/notifications/" + id + "/ack").then().statusCode(200);
        List<Map<String, Object>> after = Pages.all(DevTokens.leader(), "/api/v1/urges/unacknowledged", 2);
        assertTrue(after.stream().noneMatch(w -> ((Map<?, ?>) w.get("urge")).get("id").equals(id)), "acknowledged: gone");
    }

    @Test
    void onlyAnUrgeIsAcknowledged() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("NAK"), LocalDate.of(2026, 11, 20)).accepted();
        clock.pin(LocalDateTime.of(2026, 11, 17, 10, 0));
        scheduler.tick();
        String handler = DevTokens.handler(s.unit());
        String id = (String) only(inbox(handler)).get("id");
        given().auth().oauth2(handler).post("/api/v1/notifications/" + id + "/ack").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("不是催办通知"));
        given().auth().oauth2(handler).header("Accept-Language", "en").post("/api/v1/notifications/" + id + "/ack").then()
                .statusCode(409).body("detail", containsString("is not an urge"));
    }

    @Test
    void theInboxAnswersNotModifiedAndGivesOnlyWhatChangedSinceAToken() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("FEED"), LocalDate.of(2026, 11, 20)).accepted();
        clock.pin(LocalDateTime.of(2026, 11, 17, 10, 0));
        scheduler.tick();
        s.urged("请加快进度");
        String handler = DevTokens.handler(s.unit());

        var first = given().auth().oauth2(handler).get("/api/v1/me/notifications").then().statusCode(200).extract();
        String etag = first.header("ETag");
        String token = first.jsonPath().getString("changeToken");
        assertEquals(2, first.jsonPath().getList("items").size());
        assertEquals(true, first.jsonPath().getBoolean("full"));
        given().auth().oauth2(handler).header("If-None-Match", etag).get("/api/v1/me/notifications").then().statusCode(304);

        String reminder = first.jsonPath().getString("items.find { it.kind == 'DEADLINE_REMINDER' }.id");
        given().auth().oauth2(handler).post("/api/v1/notifications/" + reminder + "/read").then().statusCode(200)
                .body("read", equalTo(true));
        var second = given().auth().oauth2(handler).header("If-None-Match", etag).get("/api/v1/me/notifications").then()
                .statusCode(200).extract();
        assertNotEquals(etag, second.header("ETag"));

        JsonPath delta = given().auth().oauth2(handler).queryParam("changedSince", token).get("/api/v1/me/notifications")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(false, delta.getBoolean("full"));
        // The token is the snapshot horizon of the first read: the delta holds every change since, and may
        // repeat rows that were committed around that read (another transaction open on the server then).
        assertEquals(true, delta.getBoolean("items.find { it.id == '" + reminder + "' }.read"));

        // Read marks are per person: the office opening the unit's notice leaves it unread for no one else.
        given().auth().oauth2(DevTokens.supervisor()).post("/api/v1/notifications/" + reminder + "/read").then().statusCode(200);
        given().auth().oauth2(DevTokens.handler("OTHER")).post("/api/v1/notifications/" + reminder + "/read").then()
                .statusCode(404).contentType("application/problem+json");

        given().auth().oauth2(handler).queryParam("changedSince", "not-a-token").get("/api/v1/me/notifications").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(handler).queryParam("limit", 0).get("/api/v1/me/notifications").then().statusCode(422)
                .contentType("application/problem+json");
    }

    /** Every page of one read of the handler's inbox, by limit 2, from the first page on. */
    private static List<JsonPath> pages(String handler, String changedSince) {
        List<JsonPath> pages = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification r = given().auth().oauth2(handler).queryParam("limit", 2);
            if (cursor != null) {
                r.queryParam("cursor", cursor);
            } else if (changedSince != null) {
                r.queryParam("changedSince", changedSince);
            }
            JsonPath page = r.get("/api/v1/me/notifications").then().statusCode(200).extract().jsonPath();
            pages.add(page);
            cursor = page.getString("nextCursor");
        } while (cursor != null && pages.size() < 10);
        return pages;
    }

    private static List<String> ids(List<JsonPath> pages) {
        List<String> ids = new ArrayList<>();
        pages.forEach(p -> ids.addAll(p.getList("items.id", String.class)));
        return ids;
    }

    @Test
    void aLongInboxComesInPagesAndSoDoesADelta() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("PAGE"), LocalDate.of(2026, 11, 20)).accepted();
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            s.urged("第" + i + "次催办");
        }
        String handler = DevTokens.handler(s.unit());
        List<String> all = inbox(handler).getList("items.id", String.class);
        assertEquals(5, all.size());

        List<JsonPath> full = pages(handler, null);
        assertEquals(3, full.size(), "5 notices in pages of 2");
        assertEquals(all, ids(full), "the pages hold every notice once, newest first, as one read would");
        full.forEach(p -> assertEquals(true, p.getBoolean("full")));
        String token = full.get(0).getString("changeToken");
        full.forEach(p -> assertEquals(token, p.getString("changeToken"), "every page carries the read's first token"));

        List<String> older = all.subList(2, 5);
        older.forEach(id -> given().auth().oauth2(handler).post("/api/v1/notifications/" + id + "/read").then().statusCode(200));
        List<JsonPath> delta = pages(handler, token);
        assertTrue(delta.size() >= 2, "3 changed notices in pages of 2");
        delta.forEach(p -> assertEquals(false, p.getBoolean("full")));
        List<String> changed = ids(delta);
        assertTrue(changed.containsAll(older), changed + " holds the three read since the token");
        assertEquals(changed.size(), new HashSet<>(changed).size(), "no notice twice in one read");

        given().auth().oauth2(handler).queryParam("cursor", "not-a-cursor").get("/api/v1/me/notifications").then()
                .statusCode(400).contentType("application/problem+json");
        for (String read : List.of("not-a-token~", token + "~-5", token + "~x", token)) {
            String forged = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("1.0." + UUID.randomUUID() + "." + read).getBytes(StandardCharsets.UTF_8));
            given().auth().oauth2(handler).queryParam("cursor", forged).get("/api/v1/me/notifications").then()
                    .statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void escalationsReachTheLeaderAndTheOfficeInboxes() {
        clock.pin(LocalDateTime.of(2026, 9, 28, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("UP"), LocalDate.of(2026, 9, 30)).accepted();
        for (LocalDate d = LocalDate.of(2026, 10, 8); !d.isAfter(LocalDate.of(2026, 10, 21)); d = d.plusDays(1)) {
            clock.pin(d.atTime(10, 0));
            scheduler.tick();
        }
        String itemId = s.itemId().toString();
        List<String> leader = given().auth().oauth2(DevTokens.leader()).queryParam("limit", 200).get("/api/v1/me/notifications")
                .then().statusCode(200).extract().jsonPath().getList("items.findAll { it.itemId == '" + itemId + "' }.kind");
        assertEquals(List.of("ESCALATION"), leader);
        List<String> office = given().auth().oauth2(DevTokens.supervisor()).queryParam("limit", 200)
                .get("/api/v1/me/notifications").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.itemId == '" + itemId + "' }.subject");
        assertEquals(1, office.size());
        assertTrue(office.get(0).contains("提请督查室督办"), office.get(0));
        // What the deliveries' templates read: the overdue count under overdueWorkingDays.
        assertTrue(seen.all().stream().anyMatch(n -> n.itemId().equals(s.itemId()) && n.kind().equals("OVERDUE_REMINDER")
                && "1".equals(n.values().get("overdueWorkingDays")) && "DB".equals(n.values().get("itemNumber").substring(0, 2))),
                "the first overdue reminder says 1 working day overdue");
    }

    @Test
    void thePolicyIsReadByTheOfficeAndChangedByAnAdminWithIfMatch() {
        var got = given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/reminder-policies").then().statusCode(200)
                .body("policy.beforeDeadlineWorkingDays", equalTo(List.of(3, 1)))
                .body("policy.officeHoursStart", equalTo("09:00:00")).extract();
        String etag = got.header("ETag");
        given().auth().oauth2(DevTokens.admin()).header("If-None-Match", etag).get("/api/v1/reminder-policies").then()
                .statusCode(304);
        Map<String, Object> body = Map.of("beforeDeadlineWorkingDays", List.of(5, 2), "onDeadlineDay", true,
                "dailyWhileOverdue", true, "notAcceptedWorkingDays", 2, "progressLate", false,
                "escalation", List.of(Map.of("level", "UNIT_HEAD", "graceWorkingDays", 2), Map.of("level", "OFFICE",
                        "graceWorkingDays", 4)),
                "officeHoursStart", "08:30", "officeHoursEnd", "18:00");
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body).put("/api/v1/reminder-policies")
                .then().statusCode(403);
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", "\"999999\"").body(body)
                .put("/api/v1/reminder-policies").then().statusCode(412).contentType("application/problem+json");
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("beforeDeadlineWorkingDays", List.of(0), "escalation", List.of(Map.of("level", "OFFICE",
                        "graceWorkingDays", 1), Map.of("level", "HANDLER", "graceWorkingDays", 1))))
                .put("/api/v1/reminder-policies").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("beforeDeadlineWorkingDays", "onDeadlineDay",
                        "escalation[1].level", "officeHoursStart"));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", etag).body(body)
                .put("/api/v1/reminder-policies").then().statusCode(200)
                .body("policy.beforeDeadlineWorkingDays", equalTo(List.of(5, 2)))
                .body("policy.officeHoursEnd", equalTo("18:00:00")).body("updatedBy", equalTo("admin-t"));
    }
}
