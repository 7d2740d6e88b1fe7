package io.duban.task.rest;

import static io.duban.common.security.Roles.ADMIN;
import static io.duban.common.security.Roles.HANDLER;
import static io.duban.common.security.Roles.LEADER;
import static io.duban.common.security.Roles.SERVICE;
import static io.duban.common.security.Roles.SUPERVISOR;
import static io.duban.task.support.Fixture.act;
import static io.duban.testing.ApiCall.call;
import static io.restassured.RestAssured.given;

import io.duban.task.support.Fixture;
import io.duban.testing.ApiCall;
import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * task-service's authorization matrix (SPEC.md's role table, operation by operation) and fuzzing of
 * every operation. Each setup builds the data its call needs through the API: a fresh unit and an
 * item in the state the action expects, so that a role that is allowed really gets through.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TaskServiceHardeningTest extends ApiHardeningContract {

    private static final List<String> EVERYONE = DevTokens.ROLES;
    /** Items are for the office, leaders, services and the units they are dispatched to; not for admins. */
    private static final List<String> ITEM_READERS = List.of(SUPERVISOR, LEADER, HANDLER, SERVICE);
    private static final String TASK = "/api/v1/tasks/";

    /** The unit whose handler plays "another unit": real, with items of its own, never dispatched to here. */
    private static String otherUnit;

    @Override
    protected AuthorizationMatrix matrix() {
        return AuthorizationMatrix.withSharedEndpoints()
                .otherUnit(TaskServiceHardeningTest::otherUnit)
                // Items (督办事项)
                .allow("POST /api/v1/tasks", List.of(SUPERVISOR), () -> call().json(Fixture.item(Fixture.unit("M"), List.of())))
                .allow("GET /api/v1/tasks", ITEM_READERS, () -> {
                    ApiCall c = dispatched();
                    return c.query("unit", c.unit()).query("limit", 5);
                })
                .unitScoped("GET /api/v1/tasks/{id}", ITEM_READERS, TaskServiceHardeningTest::dispatched)
                .allow("PATCH /api/v1/tasks/{id}", List.of(SUPERVISOR), () -> {
                    ApiCall c = draft();
                    return c.header("If-Match", etag(c)).json(Map.of("title", "关于推进老旧小区改造工作的批示（修订）"));
                })
                .allow("POST /api/v1/tasks/{id}/dispatch", List.of(SUPERVISOR), TaskServiceHardeningTest::draft)
                .allow("POST /api/v1/tasks/{id}/cancel", List.of(SUPERVISOR), () -> dispatched().json(Map.of("reason", "立项有误")))
                .allow("POST /api/v1/tasks/{id}/review", List.of(SUPERVISOR),
                        () -> submitted().json(Map.of("decision", "APPROVE", "rating", "GOOD")))
                .allow("POST /api/v1/tasks/{id}/instructions", List.of(LEADER),
                        () -> dispatched().json(Map.of("content", "请抓紧办理，按期办结。")))
                .allow("POST /api/v1/tasks/{id}/urge", List.of(SUPERVISOR), () -> dispatched().json(Map.of("message", "请加快进度")))
                .unitScoped("GET /api/v1/tasks/{id}/timeline", ITEM_READERS, TaskServiceHardeningTest::dispatched)
                .allow("GET /api/v1/tasks/{id}/timeline/verify", List.of(SUPERVISOR), TaskServiceHardeningTest::dispatched)
                // A unit's assignment (承办)
                .unitScoped("POST /api/v1/tasks/{id}/assignments/{unitCode}/accept", List.of(HANDLER),
                        TaskServiceHardeningTest::dispatched)
                .unitScoped("POST /api/v1/tasks/{id}/assignments/{unitCode}/decline", List.of(HANDLER),
                        () -> dispatched().json(Map.of("reason", "不属于本单位职责")))
                .unitScoped("POST /api/v1/tasks/{id}/assignments/{unitCode}/progress", List.of(HANDLER),
                        () -> accepted().json(Map.of("content", "已召开专题会议部署", "percent", 30)))
                .unitScoped("POST /api/v1/tasks/{id}/assignments/{unitCode}/submit", List.of(HANDLER),
                        () -> accepted().json(Map.of("summary", "已按要求办结")))
                .unitScoped("POST /api/v1/tasks/{id}/assignments/{unitCode}/extension-requests", List.of(HANDLER),
                        () -> accepted().json(extensionAsk()))
                .allow("POST /api/v1/tasks/{id}/assignments/{unitCode}/reassign", List.of(SUPERVISOR),
                        () -> declined().json(Map.of("toUnit", Fixture.unit("R"), "note", "改由该单位办理")))
                .allow("POST /api/v1/tasks/{id}/extension-requests/{rid}/approve", List.of(SUPERVISOR),
                        () -> extensionRequested().json(Map.of("comment", "同意延期")))
                .allow("POST /api/v1/tasks/{id}/extension-requests/{rid}/reject", List.of(SUPERVISOR),
                        () -> extensionRequested().json(Map.of("comment", "请按原期限办结")))
                .allow("GET /api/v1/me/assignments", List.of(HANDLER), TaskServiceHardeningTest::dispatched)
                // Directory, calendar
                .allow("POST /api/v1/units", List.of(ADMIN), () -> call().json(unitRequest()))
                .allow("GET /api/v1/units", EVERYONE, ApiCall::call)
                .allow("GET /api/v1/units/{code}", EVERYONE, () -> call().path("code", Fixture.unit("U")))
                .allow("POST /api/v1/people", List.of(ADMIN), () -> call().json(personRequest(Fixture.unit("P"))))
                .allow("GET /api/v1/people", List.of(ADMIN, SUPERVISOR, LEADER, SERVICE), () -> call().query("unit", otherUnit()))
                // A fresh unit or person is at version 0: its ETag is "0".
                .allow("PATCH /api/v1/units/{code}", List.of(ADMIN), () -> call().path("code", Fixture.unit("U"))
                        .header("If-Match", "\"0\"").json(Map.of("shortName", "改名", "phone", "0571-8888 0000")))
                .allow("GET /api/v1/people/{id}", List.of(ADMIN, SUPERVISOR, LEADER, SERVICE), () -> call().path("id", person()))
                .allow("PATCH /api/v1/people/{id}", List.of(ADMIN), () -> call().path("id", person())
                        .header("If-Match", "\"0\"").json(Map.of("title", "科长", "active", false)))
                .allow("GET /api/v1/calendar/{year}", EVERYONE, () -> call().path("year", 2026))
                .allow("PUT /api/v1/calendar/{year}", List.of(ADMIN), () -> call().path("year", 2026).json(calendarYear(2026)))
                .allow("GET /api/v1/calendar/deadline", EVERYONE,
                        () -> call().query("from", "2026-09-30").query("workingDays", 3))
                .allow("GET /api/v1/calendar/working-days", EVERYONE,
                        () -> call().query("from", "2026-01-01").query("to", "2026-12-31"))
                // --- The outbox relay (issue 10, part "relay"): its lag, for administrators and monitoring
                .allow("GET /api/v1/relay/status", List.of(ADMIN, SERVICE), ApiCall::call);
    }

    @Override
    protected int fuzzRequests() {
        return 3000;
    }

    /** 36,525 rows rebuilt from calendar_day by a trigger (V6): a calendar change shows there already. */
    @Override
    protected Set<String> derivedTables() {
        return Set.of("working_day");
    }

    // ---- the data each call needs ---------------------------------------------------------------

    private static synchronized String otherUnit() {
        if (otherUnit == null) {
            otherUnit = Fixture.unit("X");
            Fixture.dispatched(otherUnit, List.of());
        }
        return otherUnit;
    }

    /** A draft of a fresh unit: invisible to the unit until dispatched. */
    private static ApiCall draft() {
        String unit = Fixture.unit("M");
        return call().path("id", Fixture.draft(unit, List.of())).path("unitCode", unit).ownedBy(unit);
    }

    /** An item dispatched to a fresh unit, its assignment waiting to be accepted (待签收). */
    private static ApiCall dispatched() {
        String unit = Fixture.unit("M");
        return call().path("id", Fixture.dispatched(unit, List.of())).path("unitCode", unit).ownedBy(unit);
    }

    /** Dispatched and accepted (办理中). */
    private static ApiCall accepted() {
        ApiCall c = dispatched();
        act(DevTokens.handler(c.unit()), assignment(c, "accept"), null).statusCode(200);
        return c;
    }

    /** Dispatched and declined by its unit (退回), waiting to be reassigned. */
    private static ApiCall declined() {
        ApiCall c = dispatched();
        act(DevTokens.handler(c.unit()), assignment(c, "decline"), Map.of("reason", "不属于本单位职责")).statusCode(200);
        return c;
    }

    /** Accepted and submitted by its lead unit (申请办结), waiting for review. */
    private static ApiCall submitted() {
        ApiCall c = accepted();
        act(DevTokens.handler(c.unit()), assignment(c, "submit"), Map.of("summary", "已按要求办结")).statusCode(200);
        return c;
    }

    /** Accepted, with a pending extension request of its unit (延期申请). */
    private static ApiCall extensionRequested() {
        ApiCall c = accepted();
        String rid = act(DevTokens.handler(c.unit()), assignment(c, "extension-requests"), extensionAsk())
                .statusCode(201).extract().path("id");
        return c.path("rid", rid);
    }

    private static String assignment(ApiCall c, String action) {
        return TASK + c.pathValues().get("id") + "/assignments/" + c.unit() + "/" + action;
    }

    private static Map<String, Object> extensionAsk() {
        return Map.of("requestedDeadline", LocalDate.now().plusDays(60).toString(), "reason", "需协调多个部门，申请延期");
    }

    private static String etag(ApiCall c) {
        return given().auth().oauth2(DevTokens.supervisor()).get(TASK + c.pathValues().get("id")).then().statusCode(200)
                .extract().header("ETag");
    }

    private static Map<String, Object> unitRequest() {
        String code = "N" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        return Map.of("code", code, "name", "测试单位" + code, "contactEmail", code.toLowerCase() + "@example.gov.cn");
    }

    /** A new person of a new unit, created as an administrator would; their id. */
    private static String person() {
        return given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(personRequest(Fixture.unit("P")))
                .post("/api/v1/people").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> personRequest(String unit) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("username", "p." + UUID.randomUUID().toString().substring(0, 8));
        p.put("name", "张伟");
        p.put("unitCode", unit);
        p.put("role", "HANDLER");
        p.put("phone", "+86 10 1234-5678");
        return p;
    }

    /** The year as the service holds it, in the shape PUT takes: putting it back changes no date. */
    private static String calendarYear(int year) {
        return given().auth().oauth2(DevTokens.admin()).get("/api/v1/calendar/" + year).then().statusCode(200)
                .extract().asString();
    }

    // ---- what the fuzzer may change that other tests rely on: the shared working-day calendar ----

    private Map<Integer, String> calendarBefore;

    @Override
    protected void beforeFuzzing() {
        calendarBefore = new LinkedHashMap<>();
        for (int year : importedYears()) {
            calendarBefore.put(year, calendarYear(year));
        }
    }

    /**
     * Puts the calendar back as it was: years the fuzzer imported are deleted (there is no API for
     * that), then every earlier year is imported again through the API, which also reloads the
     * service's cached calendar and recomputes working-day deadlines.
     */
    @Override
    protected void afterFuzzing() {
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement("DELETE FROM task.calendar_year WHERE NOT (year = ANY (?))")) {
            s.setArray(1, c.createArrayOf("int4", calendarBefore.keySet().toArray()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        calendarBefore.forEach((year, json) -> given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(json).put("/api/v1/calendar/" + year).then().statusCode(200));
    }

    private static List<Integer> importedYears() {
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement("SELECT year FROM task.calendar_year ORDER BY year");
                ResultSet rs = s.executeQuery()) {
            List<Integer> years = new java.util.ArrayList<>();
            while (rs.next()) {
                years.add(rs.getInt(1));
            }
            return years;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
