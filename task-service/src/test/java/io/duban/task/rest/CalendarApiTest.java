package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.task.domain.OutboxEvent;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class CalendarApiTest {

    @Inject
    SettableClock clock;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String official(int year) {
        return HolidayCnFormat.shippedJson(year);
    }

    private static io.restassured.response.ValidatableResponse put(int year, String body) {
        return given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/calendar/" + year).then();
    }

    @AfterEach
    void restore() throws Exception {
        clock.reset();
        put(2026, official(2026)).statusCode(200);
    }

    @Test
    void shippedYearsReadBackInTheImportShape() throws Exception {
        var body = given().auth().oauth2(DevTokens.handler("ANY")).get("/api/v1/calendar/2026").then().statusCode(200)
                .body("year", equalTo(2026))
                .body("days.find { it.date == '2026-10-10' }.isOffDay", is(false))
                .body("days.find { it.date == '2026-10-01' }.name", equalTo("国庆节"))
                .extract().asString();
        assertEquals(JSON.readTree(official(2026)).get("days"), JSON.readTree(body).get("days"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/2024").then().statusCode(200);
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/2027").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("2027 年的工作日历尚未导入，期限按周一至周五计算。"));
    }

    @Test
    void deadlineAndWorkingDayCountsFollowTheOfficialArrangement() {
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/deadline?from=2026-09-30&workingDays=3")
                .then().statusCode(200)
                .body("deadline", equalTo("2026-10-10"))
                .body("calendarComplete", is(true))
                .body("missingYears", empty());
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/deadline?from=2026-12-30&workingDays=5")
                .then().statusCode(200)
                .body("deadline", equalTo("2027-01-06"))
                .body("calendarComplete", is(false))
                .body("missingYears", contains(2027));
        // October 2026: 31 days, 9 weekend days, 7 holidays on weekdays... counted from the data: 18.
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/working-days?from=2026-10-01&to=2026-10-31")
                .then().statusCode(200).body("workingDays", equalTo(18));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/deadline?from=2026-09-30&workingDays=-1")
                .then().statusCode(422).body("errors[0].field", equalTo("workingDays"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/deadline?workingDays=1").then()
                .statusCode(422).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/deadline?from=2026-13-01&workingDays=1")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/working-days?from=2026-10-31&to=2026-10-01")
                .then().statusCode(422);
    }

    @Test
    void importReplacesAYearAndMalformedInputLeavesTheOldDataIntact() throws Exception {
        String before = given().auth().oauth2(DevTokens.admin()).get("/api/v1/calendar/2026").then().extract().asString();

        put(2026, "{\"year\": 2026, \"days\": [").statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("calendar-invalid"));
        put(2026, "{\"year\": 2026, \"days\": [{\"date\": \"2026-10-12\", \"name\": \"调休\", \"isOffDay\": false}]}")
                .statusCode(422); // a make-up day must be a Saturday or Sunday
        put(2026, "{\"year\": 2026, \"days\": [{\"date\": \"2025-10-01\", \"name\": \"国庆节\", \"isOffDay\": true}]}")
                .statusCode(422);
        put(2025, official(2026)).statusCode(422).body("errors[0].field", equalTo("year"));
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(official(2026))
                .put("/api/v1/calendar/2026").then().statusCode(403);
        assertEquals(before, given().auth().oauth2(DevTokens.admin()).get("/api/v1/calendar/2026").then().extract()
                .asString());

        // A replacement: only New Year's Day off.
        put(2026, "{\"year\": 2026, \"papers\": [\"测试\"], \"days\": [{\"date\": \"2026-01-01\", \"name\": \"元旦\","
                + " \"isOffDay\": true}]}").statusCode(200).body("days", equalTo(1));
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/calendar/2026").then()
                .body("days", hasSize(1)).body("papers", contains("测试"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/deadline?from=2026-09-30&workingDays=3")
                .then().body("deadline", equalTo("2026-10-05"));
    }

    @Test
    void aYearHasAnETagAndAnImportWithIfMatchReplacesOnlyTheVersionItsSenderRead() {
        String etag = given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/2026").then().statusCode(200)
                .extract().header("ETag");
        given().auth().oauth2(DevTokens.handler("ANY")).header("If-None-Match", etag).get("/api/v1/calendar/2026").then()
                .statusCode(304);
        String onlyNewYear = "{\"year\": 2026, \"papers\": [\"测试\"], \"days\": [{\"date\": \"2026-01-01\", \"name\": \"元旦\","
                + " \"isOffDay\": true}]}";

        // Two admins read the same version; the first import wins, the second is told it is stale.
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", etag).body(official(2026))
                .put("/api/v1/calendar/2026").then().statusCode(200);
        String after = given().auth().oauth2(DevTokens.admin()).get("/api/v1/calendar/2026").then().extract().header("ETag");
        org.junit.jupiter.api.Assertions.assertNotEquals(etag, after, "every import is a new version, even of the same days");
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", etag).body(onlyNewYear)
                .put("/api/v1/calendar/2026").then().statusCode(412).contentType("application/problem+json");
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/calendar/2026").then().body("days.size()", org.hamcrest.Matchers.greaterThan(1));
        // A year never imported matches no If-Match; without one, a PUT still imports as before.
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"year\": 2031, \"days\": [{\"date\": \"2031-01-01\", \"name\": \"元旦\", \"isOffDay\": true}]}")
                .put("/api/v1/calendar/2031").then().statusCode(412);
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/calendar/2031").then().statusCode(404);
    }

    @Test
    void workingDayDeadlinesAreComputedAtDispatchAndMovedWhenTheCalendarChanges() throws Exception {
        String lead = Fixture.unit("C");
        clock.pin(LocalDate.of(2026, 9, 30));
        Map<String, Object> body = new HashMap<>(Fixture.item(lead, List.of()));
        body.remove("deadline");
        body.put("deadlineWorkingDays", 3);
        String byDays = given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks").then().statusCode(201)
                .body("deadlineWorkingDays", equalTo(3))
                .body("deadline", equalTo("2026-10-10")).extract().path("id");
        Map<String, Object> dated = new HashMap<>(Fixture.item(lead + "", List.of()));
        dated.put("deadline", "2026-10-10");
        dated.put("leadUnit", Fixture.unit("D"));
        String byDate = given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(dated)
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");

        // Dispatched a day later: counted again from the day of dispatch.
        clock.pin(LocalDate.of(2026, 10, 8));
        act(DevTokens.supervisor(), "/api/v1/tasks/" + byDays + "/dispatch", null).statusCode(200)
                // 9 Oct (Fri), 10 Oct (Sat, make-up workday), 12 Oct (Mon).
                .body("deadline", equalTo("2026-10-12"))
                .body("deadlineRule", equalTo("自交办日起 3 个工作日"))
                .body("assignments[0].deadline", equalTo("2026-10-12"));
        act(DevTokens.supervisor(), "/api/v1/tasks/" + byDate + "/dispatch", null).statusCode(200);

        // The office corrects 2026: 10 October is no longer a make-up workday.
        ObjectNode corrected = (ObjectNode) JSON.readTree(official(2026));
        ArrayNode days = (ArrayNode) corrected.get("days");
        for (int i = days.size() - 1; i >= 0; i--) {
            if (days.get(i).get("date").asText().equals("2026-10-10")) {
                days.remove(i);
            }
        }
        put(2026, JSON.writeValueAsString(corrected)).statusCode(200).body("recomputedItems", equalTo(1));

        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + byDays).then()
                .body("deadline", equalTo("2026-10-13"))
                .body("originalDeadline", equalTo("2026-10-13"))
                .body("assignments[0].deadline", equalTo("2026-10-13"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + byDays + "/timeline").then()
                .body("items.action[-1]", equalTo("RECOMPUTE_DEADLINE"))
                .body("items[-1].before.deadline", equalTo("2026-10-12"))
                .body("items[-1].after.deadline", equalTo("2026-10-13"))
                .body("items[-1].actionLabel", equalTo("按新日历重算期限"));
        assertEquals(1L, Db.read(() -> OutboxEvent.count("itemId = ?1 and type = 'DEADLINE_CHANGED'",
                UUID.fromString(byDays))));
        // A deadline given as a date never moves.
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + byDate).then()
                .body("deadline", equalTo("2026-10-10"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + byDate + "/timeline").then()
                .body("items.action", contains("CREATE", "DISPATCH"));
    }
}
