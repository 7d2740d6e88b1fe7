package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 红黄绿灯 through the API, on Tuesday 29 September 2026, just before the National Day holidays. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class WarningApiTest {

    @Inject
    SettableClock clock;

    static final LocalDate TODAY = LocalDate.of(2026, 9, 29);

    @Inject
    SessionFactory sessions;

    @AfterEach
    void unpin() {
        clock.reset();
    }

    private static String dispatched(String unit, LocalDate deadline, String cycle) {
        Map<String, Object> body = new HashMap<>(Fixture.item(unit, List.of()));
        body.put("deadline", deadline.toString());
        body.put("feedbackCycle", cycle);
        String id = given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        act(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null).statusCode(200);
        return id;
    }

    @Test
    void eachRuleLightsItsColourAndListsFilterByIt() {
        String unit = Fixture.unit("W");
        String handler = DevTokens.handler(unit);
        clock.pin(LocalDate.of(2026, 9, 10));
        String lateReport = dispatched(unit, LocalDate.of(2026, 11, 30), "WEEKLY");
        act(handler, "/api/v1/tasks/" + lateReport + "/assignments/" + unit + "/accept", null).statusCode(200);

        clock.pin(TODAY);
        String red = dispatched(unit, LocalDate.of(2026, 9, 25), "NONE");
        String yellow = dispatched(unit, LocalDate.of(2026, 10, 9), "NONE");
        String green = dispatched(unit, LocalDate.of(2026, 10, 10), "NONE");
        String draft = Fixture.draft(unit, List.of());

        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + red).then()
                .body("warning.level", equalTo("RED"))
                .body("warning.levelLabel", equalTo("红灯"))
                .body("warning.reason", equalTo("已超期 2 个工作日（期限 2026-09-25）"))
                .body("assignments[0].warning.level", equalTo("RED"));
        given().auth().oauth2(handler).get("/api/v1/tasks/" + yellow).then()
                .body("warning.level", equalTo("YELLOW"))
                .body("warning.reason", equalTo("距办理期限还有 3 个工作日（期限 2026-10-09）"));
        given().auth().oauth2(handler).get("/api/v1/tasks/" + green).then().body("warning.level", equalTo("GREEN"));
        given().auth().oauth2(handler).get("/api/v1/tasks/" + lateReport).then()
                .body("warning.level", equalTo("YELLOW"))
                .body("warning.reason", equalTo("进展反馈已逾期（每周反馈，上次反馈或交办于 2026-09-10）"))
                .body("assignments[0].warning.level", equalTo("YELLOW"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + draft).then()
                .body("warning", nullValue());

        String list = "/api/v1/tasks?unit=" + unit + "&warning=";
        given().auth().oauth2(DevTokens.supervisor()).get(list + "RED").then().body("items.id", contains(red))
                .body("items[0].warning.level", equalTo("RED"));
        given().auth().oauth2(DevTokens.supervisor()).get(list + "YELLOW").then()
                .body("items.id", containsInAnyOrder(yellow, lateReport));
        given().auth().oauth2(handler).get(list + "GREEN").then().body("items.id", contains(green));
        given().auth().oauth2(DevTokens.supervisor()).get(list + "PURPLE").then().statusCode(400)
                .body("errors[0].field", equalTo("warning"));

        // A progress report today puts the late one back to green, in the view and in the filter.
        act(handler, "/api/v1/tasks/" + lateReport + "/assignments/" + unit + "/progress",
                Map.of("content", "已完成第一阶段", "percent", 30)).statusCode(200)
                .body("warning.level", equalTo("GREEN"));
        given().auth().oauth2(DevTokens.supervisor()).get(list + "GREEN").then()
                .body("items.id", containsInAnyOrder(green, lateReport));
        given().auth().oauth2(DevTokens.supervisor()).get(list + "YELLOW").then().body("items.id", contains(yellow));
    }

    @Test
    void completedItemsSayHowManyWorkingDaysEarlyOrLate() {
        String unit = Fixture.unit("E");
        String handler = DevTokens.handler(unit);
        clock.pin(TODAY);
        String early = dispatched(unit, LocalDate.of(2026, 10, 9), "NONE");
        act(handler, "/api/v1/tasks/" + early + "/assignments/" + unit + "/accept", null).statusCode(200);
        act(handler, "/api/v1/tasks/" + early + "/assignments/" + unit + "/submit", Map.of("summary", "已办结"))
                .statusCode(200).body("assignments[0].warning.level", equalTo("GREEN"));
        act(DevTokens.supervisor(), "/api/v1/tasks/" + early + "/review", Map.of("decision", "APPROVE", "rating", "GOOD"))
                .statusCode(200)
                .body("warning", nullValue())
                .body("completion.onTime", equalTo(true))
                .body("completion.workingDaysEarly", equalTo(3))
                .body("completion.reason", equalTo("提前 3 个工作日办结"));

        String late = dispatched(unit, LocalDate.of(2026, 9, 25), "NONE");
        act(handler, "/api/v1/tasks/" + late + "/assignments/" + unit + "/accept", null).statusCode(200);
        act(handler, "/api/v1/tasks/" + late + "/assignments/" + unit + "/submit", Map.of("summary", "已办结"))
                .statusCode(200);
        act(DevTokens.supervisor(), "/api/v1/tasks/" + late + "/review", Map.of("decision", "APPROVE", "rating", "FAIR"))
                .statusCode(200)
                .body("completedOnTime", equalTo(false))
                .body("completion.workingDaysLate", equalTo(2));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks?unit=" + unit + "&status=COMPLETED&sort=deadline")
                .then().body("items.completion.onTime", contains(false, true));
    }

    @Test
    void listingAHundredItemsCostsNoMoreQueriesThanListingTen() {
        String unit = Fixture.unit("Q");
        for (int i = 0; i < 100; i++) {
            dispatched(unit, LocalDate.now().plusDays(i % 20 - 5), i % 2 == 0 ? "WEEKLY" : "NONE");
        }
        String handler = DevTokens.handler(unit);
        given().auth().oauth2(handler).get("/api/v1/tasks?limit=1").then().statusCode(200); // warm caches

        long ten = statements(() -> given().auth().oauth2(handler).get("/api/v1/tasks?limit=10").then()
                .statusCode(200).body("items", hasSize(10)));
        long hundred = statements(() -> given().auth().oauth2(handler).get("/api/v1/tasks?limit=100").then()
                .statusCode(200).body("items", hasSize(100)));
        assertEquals(ten, hundred, "statements for 10 rows vs 100 rows");
        assertTrue(hundred <= 3, "statements for a page: " + hundred);
        long filtered = statements(() -> given().auth().oauth2(handler).get("/api/v1/tasks?limit=100&warning=RED")
                .then().statusCode(200));
        assertTrue(filtered <= 3, "statements for a filtered page: " + filtered);
    }

    private long statements(Runnable call) {
        sessions.getStatistics().clear();
        call.run();
        return sessions.getStatistics().getPrepareStatementCount();
    }
}
