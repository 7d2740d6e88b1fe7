package io.duban.task.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.service.Housekeeping;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Housekeeping forgets what has outlived its promise, and nothing younger. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HousekeepingTest {

    @Inject
    SettableClock clock;

    @Inject
    Housekeeping housekeeping;

    @Inject
    EntityManager em;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private long keys(String key) {
        return Db.read(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM idempotency_key WHERE key = ?1")
                .setParameter(1, key).getSingleResult()).longValue());
    }

    private static String create(String key, String lead) {
        return io.restassured.RestAssured.given().auth().oauth2(DevTokens.supervisor()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Fixture.item(lead, List.of())).post("/api/v1/tasks").then()
                .statusCode(201).extract().path("id");
    }

    @Test
    void keysOlderThan48HoursAndFeedChangesBeyondTheRetentionGo() throws Exception {
        String lead = Fixture.unit("K");
        String old = "old-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        clock.pin(LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(3));
        create(old, lead);
        clock.reset();
        String id = create(fresh, lead);
        io.restassured.RestAssured.given().auth().oauth2(DevTokens.supervisor()).post("/api/v1/tasks/" + id + "/dispatch")
                .then().statusCode(200);
        // The change log's time is the database's: age one of the item's changes as a month-old row would be.
        try (Connection c = TestDatabase.forModule("task-service").admin(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE task.assignment_change SET changed_at = now() - interval '40 days' WHERE seq = "
                    + "(SELECT min(seq) FROM task.assignment_change WHERE item_id = '" + id + "')");
        }
        long changesBefore = Db.read(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM assignment_change WHERE item_id = ?1").setParameter(1, UUID.fromString(id))
                .getSingleResult()).longValue());

        Housekeeping.Pruned pruned = housekeeping.prune();

        assertEquals(0, keys(old), "a key of three days ago is forgotten");
        assertEquals(1, keys(fresh), "today's key is kept");
        assertTrue(pruned.idempotencyKeys() >= 1 && pruned.feedChanges() >= 1, pruned.toString());
        assertEquals(changesBefore - 1, Db.read(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM assignment_change WHERE item_id = ?1").setParameter(1, UUID.fromString(id))
                .getSingleResult()).longValue()), "only the change older than the retention goes");
    }
}
