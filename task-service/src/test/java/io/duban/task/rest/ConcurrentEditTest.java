package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two clients, one version: exactly one wins, the other gets 412, and nothing of the loser remains. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentEditTest {

    @Test
    void twoClientsRacingToEditTheSameItemLeaveExactlyOneChange() throws Exception {
        String lead = Fixture.unit("R");
        String id = Fixture.dispatched(lead, List.of());
        String etag = given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id).then().extract()
                .header("ETag");
        String token = DevTokens.supervisor();

        for (int round = 0; round < 3; round++) {
            String current = given().auth().oauth2(token).get("/api/v1/tasks/" + id).then().extract().header("ETag");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Integer>> results = new ArrayList<>();
            for (String title : List.of("甲方案-" + round, "乙方案-" + round)) {
                results.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", current)
                            .body(Map.of("title", title)).patch("/api/v1/tasks/" + id).then().extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : results) {
                codes.add(f.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            codes.sort(null);
            assertEquals(List.of(200, 412), codes, "round " + round);
        }

        // Three rounds, three edits: the timeline holds the winners only, one line each.
        var timeline = given().auth().oauth2(token).get("/api/v1/tasks/" + id + "/timeline").then()
                .body("items.action", contains("CREATE", "DISPATCH", "EDIT", "EDIT", "EDIT")).extract();
        String finalTitle = given().auth().oauth2(token).get("/api/v1/tasks/" + id).then().extract().path("title");
        assertEquals(finalTitle, timeline.path("items[4].after.title"));
        assertEquals(Fixture.version(etag) + 3,
                Fixture.version(given().auth().oauth2(token).get("/api/v1/tasks/" + id).then().extract().header("ETag")));
    }

    @Test
    void lifecycleActionsHonourIfMatch() {
        String lead = Fixture.unit("R");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        String stale = given().auth().oauth2(handler).get("/api/v1/tasks/" + id).then().extract().header("ETag");
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON)
                .body(Map.of("message", "请尽快签收")).post("/api/v1/tasks/" + id + "/urge").then().statusCode(200);

        given().auth().oauth2(handler).header("If-Match", stale)
                .post("/api/v1/tasks/" + id + "/assignments/" + lead + "/accept").then().statusCode(412)
                .contentType("application/problem+json").body("code", equalTo("precondition-failed"));
        given().auth().oauth2(handler).get("/api/v1/tasks/" + id).then()
                .body("assignments[0].status", equalTo("PENDING_ACCEPTANCE"));
        String fresh = given().auth().oauth2(handler).get("/api/v1/tasks/" + id).then().extract().header("ETag");
        given().auth().oauth2(handler).header("If-Match", fresh)
                .post("/api/v1/tasks/" + id + "/assignments/" + lead + "/accept").then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.not(fresh));
        // A weak tag never satisfies If-Match.
        String now = given().auth().oauth2(handler).get("/api/v1/tasks/" + id).then().extract().header("ETag");
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).header("If-Match", "W/" + now)
                .body(Map.of("reason", "x")).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(412);
    }
}
