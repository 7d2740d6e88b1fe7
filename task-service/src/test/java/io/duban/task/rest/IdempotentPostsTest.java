package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.duban.task.domain.Assignment;
import io.duban.task.domain.ExtensionRequest;
import io.duban.task.domain.Instruction;
import io.duban.task.domain.Person;
import io.duban.task.domain.ProgressReport;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every POST that creates takes an Idempotency-Key (SPEC.md, "API conventions"), not only item intake
 * ({@link IdempotentIntakeTest}): a phone that retries a progress report after a lost answer, an OA system
 * that retries an urge, an admin script run twice. The retry gets the first answer and nothing is done twice.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class IdempotentPostsTest {

    private static ExtractableResponse<Response> post(String token, String key, String path, Object body) {
        var req = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            req.header("Idempotency-Key", key);
        }
        return req.post(path).then().extract();
    }

    /** Posts twice with one key: the second is the first's answer, replayed. */
    private static ExtractableResponse<Response> twice(String token, String path, Object body, int status) {
        String key = "k-" + UUID.randomUUID();
        var first = post(token, key, path, body);
        assertEquals(status, first.statusCode(), first.asString());
        assertNull(first.header("Idempotent-Replayed"));
        var retry = post(token, key, path, body);
        assertEquals(status, retry.statusCode(), retry.asString());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.asString(), retry.asString());
        assertEquals(first.header("ETag"), retry.header("ETag"));
        assertEquals(first.header("Location"), retry.header("Location"));
        return first;
    }

    @Test
    void aHandlersRetriedProgressReportAndExtensionRequestAreStoredOnce() {
        String lead = Fixture.unit("IP");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        String assignment = "/api/v1/tasks/" + id + "/assignments/" + lead;
        Fixture.act(handler, assignment + "/accept", null).statusCode(200);
        UUID item = UUID.fromString(id);

        Map<String, Object> progress = Map.of("content", "已完成现场踏勘，方案起草中。", "percent", 40);
        var reported = twice(handler, assignment + "/progress", progress, 200);
        assertEquals(1L, Db.read(() -> ProgressReport.count("itemId", item)));
        assertEquals(40, reported.<Integer>path("assignments[0].progressPercent"));

        Map<String, Object> ask = Map.of("requestedDeadline", LocalDate.now().plusDays(60).toString(), "reason", "需协调市级部门。");
        var asked = twice(handler, assignment + "/extension-requests", ask, 201);
        assertEquals(1L, Db.read(() -> ExtensionRequest.count("itemId", item)));
        assertEquals(asked.<String>path("id"), Db.read(() -> ExtensionRequest.<ExtensionRequest>find("itemId", item)
                .firstResult().id.toString()));

        // One key is one request: another body, or the same body sent to another item, is 422 and does nothing.
        String key = "one-" + UUID.randomUUID();
        assertEquals(200, post(handler, key, assignment + "/progress", progress).statusCode());
        var otherBody = post(handler, key, assignment + "/progress", Map.of("content", "另一条进展。", "percent", 50));
        assertEquals(422, otherBody.statusCode());
        assertEquals("idempotency-key-reused", otherBody.path("code"));
        String other = "/api/v1/tasks/" + Fixture.dispatched(lead, List.of()) + "/assignments/" + lead;
        Fixture.act(handler, other + "/accept", null).statusCode(200);
        var otherPath = post(handler, key, other + "/progress", progress);
        assertEquals(422, otherPath.statusCode());
        assertEquals("idempotency-key-reused", otherPath.path("code"));
        assertEquals(2L, Db.read(() -> ProgressReport.count("itemId", item)));

        // A refused request is not remembered: a stale If-Match, then the same key without it.
        String stale = "stale-" + UUID.randomUUID();
        Map<String, Object> third = Map.of("content", "第三次进展。", "percent", 60);
        assertEquals(412, given().auth().oauth2(handler).contentType(ContentType.JSON).header("Idempotency-Key", stale)
                .header("If-Match", "\"1\"").body(third).post(assignment + "/progress").then().extract().statusCode());
        var after = post(handler, stale, assignment + "/progress", third);
        assertEquals(200, after.statusCode());
        assertNull(after.header("Idempotent-Replayed"));
        assertEquals(3L, Db.read(() -> ProgressReport.count("itemId", item)));
    }

    @Test
    void aRetriedUrgeCountsOnceAndARetriedInstructionIsAddedOnce() {
        String lead = Fixture.unit("IU");
        String id = Fixture.dispatched(lead, List.of());
        UUID item = UUID.fromString(id);

        twice(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/urge", Map.of("unitCode", lead, "message", "请加快办理。"), 200);
        assertEquals(1, Db.read(() -> Assignment.<Assignment>find("itemId = ?1 and unitCode = ?2", item, lead)
                .firstResult().urgeCount));

        twice(DevTokens.leader(), "/api/v1/tasks/" + id + "/instructions", Map.of("content", "请抓紧落实。"), 201);
        assertEquals(1L, Db.read(() -> Instruction.count("itemId", item)));
    }

    @Test
    void anAdminScriptRunTwiceCreatesEachUnitAndPersonOnce() {
        String code = "IA" + Integer.toString(Math.abs(UUID.randomUUID().hashCode()), 36).toUpperCase();
        var unit = twice(DevTokens.admin(), "/api/v1/units", Map.of("code", code, "name", "幂等单位" + code), 201);
        assertEquals("/api/v1/units/" + code, unit.header("Location"));

        String username = "idem." + code.toLowerCase();
        twice(DevTokens.admin(), "/api/v1/people",
                Map.of("username", username, "name", "李四", "unitCode", code, "role", "HANDLER"), 201);
        assertEquals(1L, Db.read(() -> Person.count("username", username)));
        // Without a key the same request is a second creation, refused as such.
        assertEquals(409, post(DevTokens.admin(), null, "/api/v1/people",
                Map.of("username", username, "name", "李四", "unitCode", code, "role", "HANDLER")).statusCode());
    }

    @Test
    void aPhoneRetryingAnAcceptOrASubmitGetsItsFirstAnswerNotAStateConflict() {
        String lead = Fixture.unit("IL");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        String assignment = "/api/v1/tasks/" + id + "/assignments/" + lead;

        var accepted = twice(handler, assignment + "/accept", "", 200);
        assertEquals("IN_PROGRESS", accepted.<String>path("assignments[0].status"));
        // Without a key the same retry is a second accept, which the state refuses.
        assertEquals(409, post(handler, null, assignment + "/accept", "").statusCode());

        var asked = post(handler, null, assignment + "/extension-requests",
                Map.of("requestedDeadline", LocalDate.now().plusDays(90).toString(), "reason", "需跨年度实施。"));
        String decision = "/api/v1/tasks/" + id + "/extension-requests/" + asked.<String>path("id") + "/approve";
        var approved = twice(DevTokens.supervisor(), decision, Map.of("comment", "同意"), 200);
        assertEquals("APPROVED", approved.<String>path("status"));

        var submitted = twice(handler, assignment + "/submit", Map.of("summary", "已办结。"), 200);
        assertEquals("PENDING_REVIEW", submitted.<String>path("status"));
        // The retry changed nothing: the item is still at the version the first submit made.
        assertEquals(Fixture.version(submitted.header("ETag")), Fixture.version(given().auth().oauth2(handler)
                .get("/api/v1/tasks/" + id).then().statusCode(200).extract().header("ETag")));
    }
}
