package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.domain.SupervisionItem;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Other systems create items safely: Idempotency-Key and externalRef. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class IdempotentIntakeTest {

    @Inject
    SettableClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void unpin() {
        clock.reset();
    }

    private static ExtractableResponse<Response> post(String token, String key, Object body) {
        var req = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            req.header("Idempotency-Key", key);
        }
        return req.post("/api/v1/tasks").then().extract();
    }

    private static long countTitled(String title) {
        return Db.read(() -> SupervisionItem.count("title", title));
    }

    private static Map<String, Object> item(String lead, String title) {
        Map<String, Object> body = new HashMap<>(Fixture.item(lead, List.of()));
        body.put("title", title);
        return body;
    }

    @Test
    void aRetryReturnsTheFirstResponseAndADifferentBodyIsRefused() {
        String lead = Fixture.unit("I");
        String title = "幂等创建-" + UUID.randomUUID();
        String key = "oa-" + UUID.randomUUID();
        var first = post(DevTokens.supervisor(), key, item(lead, title));
        assertEquals(201, first.statusCode());
        var retry = post(DevTokens.supervisor(), key, item(lead, title));
        assertEquals(201, retry.statusCode());
        assertEquals(first.<String>path("id"), retry.path("id"));
        assertEquals(first.header("Location"), retry.header("Location"));
        assertEquals(first.header("ETag"), retry.header("ETag"));
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.asString(), retry.asString());
        assertEquals(1, countTitled(title));

        var conflicting = post(DevTokens.supervisor(), key, item(lead, title + "（改）"));
        assertEquals(422, conflicting.statusCode());
        assertEquals("idempotency-key-reused", conflicting.path("code"));
        assertEquals(0, countTitled(title + "（改）"));

        // Keys belong to their caller: another caller's same key is a new request.
        var otherCaller = post(DevTokens.token("oa-system", "supervisor", null), key, item(lead, title));
        assertEquals(201, otherCaller.statusCode());
        assertEquals(2, countTitled(title));
    }

    @Test
    void requestsThatFailValidationAreNotRemembered() {
        String lead = Fixture.unit("I");
        String title = "校验失败后重试-" + UUID.randomUUID();
        String key = "retry-" + UUID.randomUUID();
        Map<String, Object> bad = item("NO_SUCH_UNIT", title);
        assertEquals(422, post(DevTokens.supervisor(), key, bad).statusCode());
        var good = post(DevTokens.supervisor(), key, item(lead, title));
        assertEquals(201, good.statusCode());
        assertEquals(null, good.header("Idempotent-Replayed"));
        assertEquals(400, post(DevTokens.supervisor(), "has space", item(lead, title)).statusCode());
        assertEquals(400, post(DevTokens.supervisor(), "x".repeat(201), item(lead, title)).statusCode());
    }

    @Test
    void aRetryWhileTheFirstIsStillRunningAnswers409() throws Exception {
        String lead = Fixture.unit("I");
        String key = "slow-" + UUID.randomUUID();
        String title = "处理中重试-" + UUID.randomUUID();
        // Hold the key's lock as a first request still in its transaction would.
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))")) {
                s.setString(1, "duchashi-t");
                s.setString(2, key);
                s.execute();
            }
            var during = post(DevTokens.supervisor(), key, item(lead, title));
            assertEquals(409, during.statusCode());
            assertEquals("idempotency-in-progress", during.path("code"));
            c.rollback();
        }
        assertEquals(0, countTitled(title));
        assertEquals(201, post(DevTokens.supervisor(), key, item(lead, title)).statusCode());
    }

    @Test
    void twoConcurrentRequestsWithOneKeyCreateOneItem() throws Exception {
        String lead = Fixture.unit("I");
        for (int round = 0; round < 5; round++) {
            String key = "race-" + UUID.randomUUID();
            String title = "并发重复提交-" + UUID.randomUUID();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return post(DevTokens.supervisor(), key, item(lead, title));
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (var f : calls) {
                var r = f.get(30, TimeUnit.SECONDS);
                codes.add(r.statusCode());
                if (r.statusCode() == 201) {
                    ids.add(r.path("id"));
                }
            }
            pool.shutdown();
            assertEquals(1, countTitled(title), "round " + round + ": " + codes);
            assertTrue(codes.stream().allMatch(c -> c == 201 || c == 409), codes.toString());
            assertEquals(1, ids.stream().distinct().count(), ids.toString());
        }
    }

    @Test
    void keysAreKeptFor48HoursThenForgotten() {
        String lead = Fixture.unit("I");
        String key = "old-" + UUID.randomUUID();
        String title = "过期的幂等键-" + UUID.randomUUID();
        clock.pin(LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(3));
        assertEquals(201, post(DevTokens.supervisor(), key, item(lead, title)).statusCode());
        clock.reset();
        var later = post(DevTokens.supervisor(), key, item(lead, title));
        assertEquals(201, later.statusCode());
        assertEquals(null, later.header("Idempotent-Replayed"));
        assertEquals(2, countTitled(title));
    }

    @Test
    void externalReferencesAreUniquePerSystemAndSearchable() {
        String lead = Fixture.unit("X");
        String ref = "OA-2026-" + UUID.randomUUID();
        Map<String, Object> body = item(lead, "来自OA的督办件");
        body.put("externalSystem", "OA");
        body.put("externalRef", ref);
        var created = post(DevTokens.supervisor(), null, body);
        assertEquals(201, created.statusCode());
        assertEquals(ref, created.path("externalRef"));
        var duplicate = post(DevTokens.supervisor(), null, body);
        assertEquals(409, duplicate.statusCode());
        assertEquals("external-ref-exists", duplicate.path("code"));
        assertTrue(duplicate.<String>path("detail").contains(created.path("number")));

        Map<String, Object> padded = new HashMap<>(body);
        padded.put("externalRef", " " + ref + " ");
        var samePadded = post(DevTokens.supervisor(), null, padded);
        assertEquals(409, samePadded.statusCode());
        assertEquals("external-ref-exists", samePadded.path("code"));

        Map<String, Object> otherSystem = new HashMap<>(body);
        otherSystem.put("externalSystem", "HOTLINE12345");
        assertEquals(201, post(DevTokens.supervisor(), null, otherSystem).statusCode());
        Map<String, Object> half = new HashMap<>(body);
        half.remove("externalSystem");
        var refused = post(DevTokens.supervisor(), null, half);
        assertEquals(422, refused.statusCode());
        assertEquals("externalSystem", refused.path("errors[0].field"));

        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks?externalSystem=OA&externalRef=" + ref).then()
                .statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].id", equalTo(created.path("id")));
    }
}
