package io.duban.task.support;

import static io.restassured.RestAssured.given;

import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test data made through the public API. Every call makes fresh units with unique codes, so tests
 * never see each other's rows and never depend on what earlier runs left behind.
 */
public final class Fixture {

    private Fixture() {
    }

    /**
     * Waits (at most 10 s) until no other transaction that holds an xid is open on the server. A change
     * token taken next then has its horizon past everything committed so far, and a delta from it holds
     * only what changes afterwards. Otherwise a transaction begun earlier and still open (the outbox
     * relay's, say) holds the horizon back, and the delta repeats rows committed before the read, as the
     * feed allows; a test that asserts an empty delta needs this quiet moment.
     */
    public static void awaitQuietHorizon() {
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()")) {
            long until = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > until) {
                    throw new AssertionError("other transactions stayed open for 10 s");
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new unit with a unique code starting with the prefix, created by an administrator. */
    public static String unit(String prefix) {
        String code = prefix + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36).toUpperCase();
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("code", code, "name", "测试单位" + code, "contactEmail", code.toLowerCase() + "@example.gov.cn"))
                .post("/api/v1/units").then().statusCode(201);
        return code;
    }

    public static Map<String, Object> item(String lead, List<String> assists) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", "关于推进老旧小区改造工作的批示");
        body.put("description", "请牵头单位会同协办单位于期限内完成改造方案并报督查室。");
        body.put("sourceType", "LEADER_INSTRUCTION");
        body.put("sourceRef", "区府办〔2026〕12号");
        body.put("priority", "URGENT");
        body.put("category", "城市建设");
        body.put("responsibleLeader", "王副区长");
        body.put("deadline", LocalDate.now().plusDays(30).toString());
        body.put("leadUnit", lead);
        body.put("assistUnits", assists);
        body.put("feedbackCycle", "WEEKLY");
        return body;
    }

    /** Registers a draft and returns its id. */
    public static String draft(String lead, List<String> assists) {
        return given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(item(lead, assists))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
    }

    /** Registers and dispatches an item and returns its id. */
    public static String dispatched(String lead, List<String> assists) {
        String id = draft(lead, assists);
        given().auth().oauth2(DevTokens.supervisor()).post("/api/v1/tasks/" + id + "/dispatch").then().statusCode(200);
        return id;
    }

    /** The item version an ETag names: `"12.<basis>"` → 12. */
    public static long version(String etag) {
        String inner = etag.replace("\"", "");
        int dot = inner.indexOf('.');
        return Long.parseLong(dot < 0 ? inner : inner.substring(0, dot));
    }

    public static ValidatableResponse act(String token, String path, Object body) {
        var req = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (body != null) {
            req.body(body);
        }
        return req.post(path).then();
    }
}
