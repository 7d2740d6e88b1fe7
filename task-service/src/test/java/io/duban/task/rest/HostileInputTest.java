package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.task.domain.ProgressReport;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineEntry;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.RawHttp;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Inputs a hostile or broken client sends, each answered with a clear problem+json refusal (never a
 * 500) and nothing stored, or accepted and stored exactly as answered.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {

    /** This class's own office user, so that "nothing stored" is counted on its rows only. */
    private static final String ME = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SUPERVISOR = DevTokens.token(ME, "supervisor", "DCS");

    private static long itemsStored() {
        return Db.read(() -> SupervisionItem.count("createdBy", ME));
    }

    private static ValidatableResponse create(String json) {
        return given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(json).post("/api/v1/tasks").then();
    }

    /** A valid item as raw JSON text, with one field (replaced or added) given as raw JSON. */
    private static String validJson(String lead, String field, String rawValue) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("title", "\"关于某事项的批示\"",
                "sourceType", "\"OTHER\"", "leadUnit", "\"" + lead + "\"", "deadline", "\"2026-12-31\""));
        if (field.equals("deadlineWorkingDays")) {
            fields.remove("deadline");
        }
        fields.put(field, rawValue);
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return json.append('}').toString();
    }

    private static void problem(ValidatableResponse r, int status) {
        r.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    @Test
    void longProgressReportsAndSummariesAreStoredWhole() {
        String lead = Fixture.unit("H");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(200);
        String content = "进展情况".repeat(1000);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/progress",
                Map.of("content", content, "percent", 50)).statusCode(200);
        String summary = "办结情况".repeat(1250);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/submit", Map.of("summary", summary))
                .statusCode(200);
        UUID item = UUID.fromString(id);
        assertEquals(content, Db.read(() -> ProgressReport.<ProgressReport>find("itemId", item).firstResult().content));
        List<String> notes = Db.read(() -> TimelineEntry.<TimelineEntry>list("itemId", item).stream()
                .map(t -> t.note).toList());
        assertEquals(true, notes.contains(content), "the timeline keeps the report whole");
        assertEquals(true, notes.contains(summary), "and the summary");
    }

    @Test
    void controlCharactersInQueryAndPathParametersAnswer400() {
        for (String path : List.of("/api/v1/tasks?q=%00", "/api/v1/tasks?unit=%00", "/api/v1/tasks?externalRef=a%00b",
                "/api/v1/units/%00", "/api/v1/people?unit=%00", "/api/v1/tasks?q=%0A")) {
            String token = path.startsWith("/api/v1/people") ? DevTokens.admin() : SUPERVISOR;
            var r = given().auth().oauth2(token).urlEncodingEnabled(false).get(path).then();
            problem(r, 400);
        }
        given().auth().oauth2(SUPERVISOR).urlEncodingEnabled(false).get("/api/v1/tasks?q=%00").then()
                .body("code", equalTo("bad-parameter")).body("errors[0].field", equalTo("q"));
    }

    @Test
    void aCalendarDayNameWithANulAndACraftedCursorAreRefused() {
        String year = HolidayCnFormat.shippedJson(2026).replaceFirst("\"元旦\"", "\"元\\\\u0000旦\"");
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(year).put("/api/v1/calendar/2026")
                .then().statusCode(422).contentType("application/problem+json").body("code", equalTo("calendar-invalid"));
        for (String raw : List.of("deadline\n+300000-01-01\n" + UUID.randomUUID(), "deadline\n0001-01-01\n" + UUID.randomUUID(),
                "createdAt\n+100000-01-01T00:00:00Z\n" + UUID.randomUUID(), "number\nDB\u0000\n" + UUID.randomUUID())) {
            String sort = raw.substring(0, raw.indexOf('\n'));
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            given().auth().oauth2(SUPERVISOR).queryParam("sort", sort).queryParam("cursor", cursor).get("/api/v1/tasks")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("bad-cursor"));
        }
    }

    @Test
    void oddTokensAnswer401AndLeaveNoRowWithAnOddActor() {
        String lead = Fixture.unit("H");
        Map<String, Object> unitNotText = DevTokens.standardClaims("handler-x", List.of("handler"));
        unitNotText.put("unit", 42);
        Map<String, Object> longSubject = DevTokens.standardClaims("x".repeat(65), List.of("supervisor"));
        Map<String, Object> emptySubject = DevTokens.standardClaims("", List.of("supervisor"));
        Map<String, Object> noSubject = DevTokens.standardClaims("gone", List.of("supervisor"));
        noSubject.remove("sub");
        Map<String, Object> future = DevTokens.standardClaims(ME, List.of("supervisor"));
        future.put("iat", Instant.now().plusSeconds(86400).getEpochSecond());
        future.put("exp", Instant.now().plusSeconds(90000).getEpochSecond());
        for (Map<String, Object> claims : List.of(unitNotText, longSubject, emptySubject, noSubject, future)) {
            String token = DevTokens.sign(claims);
            problem(given().auth().oauth2(token).get("/api/v1/tasks").then(), 401);
            problem(given().auth().oauth2(token).contentType(ContentType.JSON).body(Fixture.item(lead, List.of()))
                    .post("/api/v1/tasks").then(), 401);
        }
        assertEquals(0L, Db.read(() -> SupervisionItem.count("leadUnitCode", lead)));
    }

    @Test
    void locationNeverEchoesTheHostHeader() {
        String lead = Fixture.unit("H");
        String host = "h" + "x".repeat(590) + ".example";
        String key = "host-" + UUID.randomUUID();
        var first = given().auth().oauth2(SUPERVISOR).header("Host", host).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Fixture.item(lead, List.of())).post("/api/v1/tasks").then()
                .statusCode(201).extract();
        String id = first.path("id");
        assertEquals("/api/v1/tasks/" + id, first.header("Location"));
        var replay = given().auth().oauth2(SUPERVISOR).header("Host", "evil.example").header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Fixture.item(lead, List.of())).post("/api/v1/tasks").then()
                .statusCode(201).header("Idempotent-Replayed", "true").extract();
        assertEquals("/api/v1/tasks/" + id, replay.header("Location"));
    }

    @Test
    void textThatCannotBeStoredAsSentIsRefused() {
        String lead = Fixture.unit("H");
        long before = itemsStored();
        problem(create(validJson(lead, "description", "\"孤立代理项\\ud800结束\"")), 400);
        create(validJson(lead, "description", "\"\\udc00\"")).statusCode(400)
                .body("errors[0].field", equalTo("description"));
        // A whole pair is a character (𝄞) and is kept.
        String id = create(validJson(lead, "description", "\"乐谱\\ud834\\udd1e\"")).statusCode(201)
                .body("description", equalTo("乐谱\uD834\uDD1E")).extract().path("id");
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks/" + id).then().body("description", equalTo("乐谱\uD834\uDD1E"));
        assertEquals(before + 1, itemsStored());
    }

    @Test
    void wrongTypesAreNamedAsWrongTypes() {
        String lead = Fixture.unit("H");
        long before = itemsStored();
        create(validJson(lead, "deadline", "20261231")).statusCode(400)
                .body("code", equalTo("malformed-json"))
                .body("errors[0].field", equalTo("deadline")).body("errors[0].message", containsString("日期"));
        create(validJson(lead, "title", "123")).statusCode(400).body("errors[0].field", equalTo("title"))
                .body("errors[0].message", equalTo("类型不正确，应为文本"));
        create(validJson(lead, "deadlineWorkingDays", "\"5\"")).statusCode(400)
                .body("errors[0].message", equalTo("类型不正确，应为整数"));
        assertEquals(before, itemsStored());
    }

    @Test
    void datesOutsideTheOfficeRangeAnswer422() {
        String lead = Fixture.unit("H");
        long before = itemsStored();
        for (String date : List.of("0001-01-01", "1999-12-31", "9999-12-31", "+10000-01-01")) {
            create(validJson(lead, "deadline", "\"" + date + "\""))
                    .statusCode(422).body("errors[0].field", equalTo("deadline"))
                    .body("errors[0].message", equalTo("日期须在 2000-01-01 到 2099-12-31 之间"));
        }
        assertEquals(before, itemsStored());
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(200);
        for (String date : List.of("9999-12-31", "+10000-01-01")) {
            given().auth().oauth2(handler).contentType(ContentType.JSON)
                    .body("{\"requestedDeadline\":\"" + date + "\",\"reason\":\"需要更多时间\"}")
                    .post("/api/v1/tasks/" + id + "/assignments/" + lead + "/extension-requests").then()
                    .statusCode(422).body("errors[0].field", equalTo("requestedDeadline"));
        }
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?deadlineFrom=0001-01-01").then().statusCode(400)
                .body("errors[0].field", equalTo("deadlineFrom"));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body("{}").put("/api/v1/calendar/2100")
                .then().statusCode(422).body("errors[0].field", equalTo("year"));
    }

    @Test
    void anEmptyIdempotencyKeyIsRefusedNotIgnored() {
        String lead = Fixture.unit("H");
        long before = itemsStored();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(SUPERVISOR).header("Idempotency-Key", "").contentType(ContentType.JSON)
                    .body(Fixture.item(lead, List.of())).post("/api/v1/tasks").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("bad-idempotency-key"));
        }
        assertEquals(before, itemsStored());
    }

    @Test
    void trailingGarbageAndDuplicateKeysAreMalformed() {
        String lead = Fixture.unit("H");
        long before = itemsStored();
        String valid = validJson(lead, "priority", "\"URGENT\"");
        create(valid + "xyz").statusCode(400).body("code", equalTo("malformed-json"));
        create(valid + "{}").statusCode(400).body("code", equalTo("malformed-json"));
        create(valid.replace("{\"", "{\"title\":\"第一个标题\",\"")).statusCode(400)
                .body("code", equalTo("malformed-json"));
        assertEquals(before, itemsStored());
    }

    @Test
    void oversizedRequestsAnswerProblemJson() {
        String lead = Fixture.unit("H");
        long before = itemsStored();
        Map<String, Object> huge = new HashMap<>(Fixture.item(lead, List.of()));
        // Over the 10 MB limit, under the HTTP layer's own: refused by the guard, as problem+json.
        huge.put("description", "a".repeat(10 * 1024 * 1024 + 1000));
        problem(given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(huge).post("/api/v1/tasks").then(),
                413);
        problem(given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks?q=" + "a".repeat(9000)).then(), 414);
        var headers = given().auth().oauth2(SUPERVISOR);
        for (int i = 0; i < 30; i++) {
            headers.header("X-Padding-" + i, "p".repeat(1000));
        }
        problem(headers.get("/api/v1/tasks").then(), 431);
        assertEquals(before, itemsStored());
    }

    @Test
    void nobodyDecidesOnTheirOwnUnitsRequest() {
        String lead = Fixture.unit("H");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(200);
        String rid = act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/extension-requests",
                Map.of("requestedDeadline", LocalDate.now().plusDays(60).toString(), "reason", "需要协调多个部门"))
                .statusCode(201).extract().path("id");
        Map<String, Object> claims = DevTokens.standardClaims("two-hats", List.of("handler", "supervisor"));
        claims.put("unit", lead);
        String twoHats = DevTokens.sign(claims);
        act(twoHats, "/api/v1/tasks/" + id + "/extension-requests/" + rid + "/approve", Map.of()).statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("own-unit-decision"));
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/submit", Map.of("summary", "已完成"))
                .statusCode(200);
        act(twoHats, "/api/v1/tasks/" + id + "/review", Map.of("decision", "APPROVE", "rating", "EXCELLENT"))
                .statusCode(403).body("code", equalTo("own-unit-decision"));
        // Someone of another unit may.
        act(SUPERVISOR, "/api/v1/tasks/" + id + "/review", Map.of("decision", "APPROVE", "rating", "GOOD"))
                .statusCode(200);
    }

    @Test
    void bodiesThatAreNotJsonAreRefusedNotRead() {
        String lead = Fixture.unit("H");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        String unitPath = "/api/v1/tasks/" + id + "/assignments/" + lead;
        // JAX-RS read text/plain into Decline(String reason) through its constructor, past the JSON
        // text rules: the NUL reached PostgreSQL (500), an empty body answered a bare 400.
        for (String body : List.of("不属于本单位职责", "a\u0000b", "{\"reason\":\"x\"}", "")) {
            problem(given().auth().oauth2(handler).contentType("text/plain; charset=UTF-8").body(body)
                    .post(unitPath + "/decline").then(), 415);
        }
        given().auth().oauth2(SUPERVISOR).get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("assignments[0].status", equalTo("PENDING_ACCEPTANCE"));
        // An action without a body still takes any Content-Type, and an optional body may be left out.
        given().auth().oauth2(handler).contentType("text/plain").post(unitPath + "/accept").then().statusCode(200);
        String rid = act(handler, unitPath + "/extension-requests",
                Map.of("requestedDeadline", LocalDate.now().plusDays(60).toString(), "reason", "需要协调多个部门"))
                .statusCode(201).extract().path("id");
        String approve = "/api/v1/tasks/" + id + "/extension-requests/" + rid + "/approve";
        problem(given().auth().oauth2(SUPERVISOR).contentType("text/plain").body("同意").post(approve).then(), 415);
        RawHttp.Response approved = RawHttp.service().send("POST", approve,
                Map.of("Authorization", "Bearer " + SUPERVISOR), null);
        assertEquals(200, approved.status(), approved.text());
    }
}
