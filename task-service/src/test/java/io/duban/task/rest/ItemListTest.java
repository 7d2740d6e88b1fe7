package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ItemListTest {

    private static String create(String lead, String title, String sourceType, String priority, LocalDate deadline) {
        Map<String, Object> body = new HashMap<>(Fixture.item(lead, List.of()));
        body.put("title", title);
        body.put("sourceType", sourceType);
        body.put("priority", priority);
        body.put("deadline", deadline.toString());
        return given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
    }

    @Test
    void filtersCombineAndPagesWalkTheWholeListOnce() {
        String unit = Fixture.unit("F");
        LocalDate today = LocalDate.now();
        String a = create(unit, "河道清淤整治", "MEETING_DECISION", "NORMAL", today.plusDays(10));
        String b = create(unit, "河道两岸绿化提升", "LEADER_INSTRUCTION", "CRITICAL", today.plusDays(20));
        String c = create(unit, "背街小巷路灯维修", "PUBLIC_APPEAL", "URGENT", today.minusDays(3));
        String d = create(unit, "50%_special 标题", "OTHER", "NORMAL", today.plusDays(5));
        given().auth().oauth2(DevTokens.supervisor()).post("/api/v1/tasks/" + c + "/dispatch").then().statusCode(200);

        String base = "/api/v1/tasks?unit=" + unit;
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&q=河道").then().statusCode(200)
                .body("items.id", containsInAnyOrder(a, b));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&q=50%_").then()
                .body("items.id", contains(d));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&q=5%25x").then().body("items", hasSize(0));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&priority=CRITICAL").then()
                .body("items.id", contains(b));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&sourceType=MEETING_DECISION").then()
                .body("items.id", contains(a));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&status=ACTIVE").then()
                .body("items.id", contains(c));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&status=ACTIVE&status=DRAFT").then()
                .body("items", hasSize(4));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&overdue=true").then()
                .body("items.id", contains(c));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&deadlineFrom=" + today.plusDays(5) + "&deadlineTo="
                + today.plusDays(10) + "&sort=deadline").then()
                .body("items.id", contains(d, a));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&sort=-deadline").then()
                .body("items.id", contains(b, a, d, c));

        // Pages of two, by deadline: every item exactly once, in order, and the last page says so.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().auth().oauth2(DevTokens.supervisor())
                    .get(base + "&sort=deadline&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).then()
                    .statusCode(200).body("limit", equalTo(2)).extract();
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(List.of(c, d, a, b), seen);
        assertEquals(2, pages);

        // A cursor made for one sort is refused under another.
        String first = given().auth().oauth2(DevTokens.supervisor()).get(base + "&sort=deadline&limit=1").then()
                .extract().path("nextCursor");
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&sort=number&limit=1&cursor=" + first).then()
                .statusCode(400).body("code", equalTo("bad-cursor"));
        given().auth().oauth2(DevTokens.supervisor()).get(base + "&limit=10").then().body("nextCursor", nullValue());
    }

    @Test
    void defaultOrderIsNewestFirstAndNumbersAreSequential() {
        String unit = Fixture.unit("N");
        String first = create(unit, "第一项", "OTHER", "NORMAL", LocalDate.now().plusDays(1));
        String second = create(unit, "第二项", "OTHER", "NORMAL", LocalDate.now().plusDays(1));
        var list = given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks?unit=" + unit).then()
                .body("items.id", contains(second, first)).extract();
        String n1 = list.path("items[1].number");
        String n2 = list.path("items[0].number");
        assertEquals(Integer.parseInt(n1.substring(8)) + 1, Integer.parseInt(n2.substring(8)));
        assertEquals("DB-" + LocalDate.now().getYear() + "-", n1.substring(0, 8));
    }
}
