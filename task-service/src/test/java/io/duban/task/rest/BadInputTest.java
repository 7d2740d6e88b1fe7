package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.domain.Assignment;
import io.duban.task.domain.OutboxEvent;
import io.duban.task.domain.Person;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineEntry;
import io.duban.task.domain.Unit;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input answers 400/422 problem+json, never a stack trace, and stores nothing. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class BadInputTest {

    /** This class's own office user: what it stores (or must not) is told apart from other tests' rows by it. */
    private static final String ME = "bad-input-" + java.util.UUID.randomUUID();
    private static final String SUPERVISOR = DevTokens.token(ME, "supervisor", "DCS");

    private static ValidatableResponse post(String json) {
        return given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(json)
                .post("/api/v1/tasks").then();
    }

    private static ValidatableResponse post(Map<String, Object> body) {
        return given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks").then();
    }

    private static Map<String, Object> validWith(String lead, String key, Object value) {
        Map<String, Object> body = new HashMap<>(Fixture.item(lead, List.of()));
        body.put(key, value);
        return body;
    }

    /** What this class's user has stored: items, their assignments, timeline lines and events; and the units named here. */
    private static List<Long> counts() {
        return Db.read(() -> List.of(SupervisionItem.count("createdBy", ME),
                Assignment.count("itemId in (select i.id from SupervisionItem i where i.createdBy = ?1)", ME),
                TimelineEntry.count("actor", ME),
                OutboxEvent.count("itemId in (select i.id from SupervisionItem i where i.createdBy = ?1)", ME),
                Unit.count("name in ?1 or code = 'lower-case'", List.of("某局", "重复单位"))));
    }

    @Test
    void malformedOrMistypedBodiesAnswer400AndStoreNothing() {
        String lead = Fixture.unit("L");
        List<Long> before = counts();

        post("{\"title\": \"未闭合").statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("malformed-json"))
                .body("type", startsWith("https://"))
                .body("detail", equalTo("请求体不是有效的 JSON，或字段类型不正确。"))
                .body("instance", equalTo("/api/v1/tasks"))
                .body(not(containsString("Exception")));
        post("[1, 2, 3]").statusCode(400);
        post("").statusCode(400);
        post(validWith(lead, "sourceType", "RUMOUR")).statusCode(400)
                .body("errors[0].field", equalTo("sourceType"))
                .body("errors[0].message", containsString("LEADER_INSTRUCTION"));
        post(validWith(lead, "priority", "紧急")).statusCode(400).body("errors[0].field", equalTo("priority"));
        post(validWith(lead, "deadline", "2026/12/31")).statusCode(400).body("errors[0].field", equalTo("deadline"));
        post(validWith(lead, "deadline", "2026-02-30")).statusCode(400);
        post(validWith(lead, "title", 12345)).statusCode(400).body("errors[0].field", equalTo("title"));
        post(validWith(lead, "assistUnits", "FGW")).statusCode(400);
        post(validWith(lead, "title", "含有\u0000空字符")).statusCode(400)
                .body("errors[0].field", equalTo("title"))
                .body("errors[0].message", equalTo("不能包含控制字符"));

        assertEquals(before, counts());
    }

    @Test
    void invalidFieldsAreListedOneByOne() {
        String lead = Fixture.unit("L");
        List<Long> before = counts();

        Map<String, Object> body = validWith(lead, "title", "长".repeat(201));
        body.remove("sourceType");
        body.remove("deadline");
        body.put("sourceRef", "x".repeat(101));
        post(body).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation"))
                .body("errors.field", hasItems("title", "sourceType", "sourceRef"))
                .body("errors.find { it.field == 'sourceType' }.message", equalTo("必须填写"))
                .body("errors.find { it.field == 'title' }.message", equalTo("长度须在 0 到 200 之间"));
        Map<String, Object> noDeadline = validWith(lead, "title", "无期限");
        noDeadline.remove("deadline");
        post(noDeadline).statusCode(422).body("errors[0].field", equalTo("deadline"));
        post(validWith(lead, "deadlineWorkingDays", 5)).statusCode(422).body("errors[0].field", equalTo("deadline"));
        Map<String, Object> tooMany = validWith(lead, "deadlineWorkingDays", 251);
        tooMany.remove("deadline");
        post(tooMany).statusCode(400).body("errors[0].field", equalTo("deadlineWorkingDays"));
        post(validWith(lead, "title", "   ")).statusCode(400).body("errors.field", hasItem("title"));
        post(validWith(lead, "assistUnits", List.of(""))).statusCode(400).body("errors.field", hasItem("assistUnits[0]"));
        given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).post("/api/v1/tasks").then()
                .statusCode(400);

        assertEquals(before, counts());
    }

    @Test
    void unknownOrRepeatedUnitsAnswer422AndStoreNothing() {
        String lead = Fixture.unit("L");
        List<Long> before = counts();

        post(validWith("NOSUCHUNIT", "title", "某事项")).statusCode(422)
                .body("code", equalTo("invalid-field"))
                .body("errors[0].field", equalTo("leadUnit"))
                .body("errors[0].message", equalTo("单位 NOSUCHUNIT 不存在或已停用"));
        post(validWith(lead, "assistUnits", List.of("NOSUCHUNIT"))).statusCode(422)
                .body("errors[0].field", equalTo("assistUnits[0]"));
        post(validWith(lead, "assistUnits", List.of(lead))).statusCode(422)
                .body("errors[0].field", equalTo("assistUnits[0]"));

        assertEquals(before, counts());
    }

    @Test
    void errorsSpeakEnglishWhenAsked() {
        given().auth().oauth2(SUPERVISOR).header("Accept-Language", "en-US,en;q=0.9")
                .contentType(ContentType.JSON).body(validWith("NOSUCHUNIT", "title", "x")).post("/api/v1/tasks")
                .then().statusCode(422)
                .header("Content-Language", "en")
                .body("title", equalTo("Unprocessable request"))
                .body("errors[0].message", equalTo("unit NOSUCHUNIT does not exist or is inactive"));
        given().header("Accept-Language", "en").get("/api/v1/tasks").then().statusCode(401)
                .body("detail", equalTo("A valid bearer token is required."));
        given().auth().oauth2(SUPERVISOR).header("Accept-Language", "en")
                .contentType(ContentType.JSON).body(Map.of("sourceType", "OTHER")).post("/api/v1/tasks").then()
                .statusCode(400).body("errors.find { it.field == 'title' }.message", equalTo("must not be blank"));
    }

    @Test
    void unknownIdsAndPathsAnswerProblemJson() {
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(SUPERVISOR).get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json").body("stackTrace", nullValue());
        given().auth().oauth2(SUPERVISOR).post("/api/v1/tasks/" + java.util.UUID.randomUUID() + "/dispatch")
                .then().statusCode(404).body("code", equalTo("not-found"));
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?sort=title").then().statusCode(422)
                .body("errors[0].field", equalTo("sort"));
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?limit=1000").then().statusCode(422);
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?cursor=garbage").then().statusCode(400)
                .body("code", equalTo("bad-cursor"));
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?status=NOPE").then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("bad-parameter"))
                .body("errors[0].field", equalTo("status"))
                .body("errors[0].message", containsString("PENDING_REVIEW"));
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?deadlineFrom=2026-13-45").then().statusCode(400)
                .body("errors[0].field", equalTo("deadlineFrom"));
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?limit=ten").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void badDirectoryInputStoresNothing() {
        List<Long> before = counts();
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("code", "lower-case", "name", "某局", "contactEmail", "not-an-email"))
                .post("/api/v1/units").then().statusCode(400)
                .body("errors.field", hasItems("code", "contactEmail"));
        String code = Fixture.unit("D");
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("code", code, "name", "重复单位")).post("/api/v1/units").then().statusCode(409)
                .body("code", equalTo("unit-exists"));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", "zhang.san", "name", "张三", "unitCode", "NOSUCH", "role", "handler"))
                .post("/api/v1/people").then().statusCode(400).body("errors[0].field", equalTo("role"));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", "zhang.san", "name", "张三", "unitCode", "NOSUCH", "role", "HANDLER"))
                .post("/api/v1/people").then().statusCode(422).body("errors[0].field", equalTo("unitCode"));
        assertEquals(before, counts(), "only the one valid unit was added, under its own name");
        assertEquals(0L, Db.read(() -> Person.count("username", "zhang.san")));
    }
}
