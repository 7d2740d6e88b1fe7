package io.duban.task.relay;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay against a real HTTP receiver on the real database: in order per item, delivered
 * only after a 2xx, retried with exponential backoff on the office clock, never sent twice at once by
 * two relays, purged after the retention period, its lag visible.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RelayReceiverPort.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayTest extends RelayReceiving {

    @Inject
    SettableClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    /** A row of the outbox as the relay left it. */
    record Row(UUID id, long seq, int attempts, OffsetDateTime nextAttemptAt, OffsetDateTime publishedAt, String lastError) {
    }

    private static List<Row> rows(UUID itemId) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement("SELECT id, seq, attempts, next_attempt_at, published_at, last_error"
                        + " FROM task.outbox_event WHERE item_id = ? ORDER BY seq")) {
            s.setObject(1, itemId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getObject(1, UUID.class), r.getLong(2), r.getInt(3),
                            r.getObject(4, OffsetDateTime.class), r.getObject(5, OffsetDateTime.class), r.getString(6)));
                }
            }
        }
        return rows;
    }

    private static List<UUID> ids(List<Row> rows) {
        return rows.stream().map(Row::id).toList();
    }

    private static List<UUID> receivedIds(UUID itemId) {
        return receiver.of(itemId).stream().map(EventReceiver.Received::eventId).toList();
    }

    private static UUID itemWithUnits(int assists) {
        String lead = Fixture.unit("L");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < assists; i++) {
            others.add(Fixture.unit("A"));
        }
        return UUID.fromString(Fixture.dispatched(lead, others));
    }

    @Test
    void everyEventReachesTheReceiverOnceInOrderPerItemWithAServiceToken() throws Exception {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        UUID item = UUID.fromString(Fixture.dispatched(lead, List.of(assist)));
        act(DevTokens.handler(lead), "/api/v1/tasks/" + item + "/assignments/" + lead + "/accept", null).statusCode(200);
        act(DevTokens.supervisor(), "/api/v1/tasks/" + item + "/urge", Map.of("unitCode", lead, "message", "请加快办理。"))
                .statusCode(200);
        UUID other = itemWithUnits(1);

        drain();

        List<Row> rows = rows(item);
        assertEquals(4, rows.size(), "two dispatches, an acceptance and an urge");
        assertEquals(ids(rows), receivedIds(item), "each event once, in the order written");
        assertEquals(ids(rows(other)), receivedIds(other));
        assertTrue(receiver.of(item).stream().allMatch(EventReceiver.Received::serviceToken),
                "a token signed by a trusted key, role service, subject task-service");
        assertEquals(List.of("ITEM_DISPATCHED", "ITEM_DISPATCHED", "ASSIGNMENT_ACCEPTED", "ITEM_URGED"),
                receiver.of(item).stream().map(EventReceiver.Received::type).toList());
        assertTrue(receiver.batches().stream().anyMatch(n -> n >= 2),
                "a round's rows of different items go as one batch: " + receiver.batches());
        for (Row r : rows) {
            assertNotNull(r.publishedAt(), "delivered after the 200");
            assertEquals(1, r.attempts());
            assertNull(r.nextAttemptAt());
        }
    }

    @Test
    void anItemsLaterEventsRideInTheBatchOfItsFirstAndABatchHoldsWholeItems() throws Exception {
        // 15 items of three units each: one dispatch event per unit, 45 rows, more than one batch's worth.
        List<UUID> items = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            items.add(itemWithUnits(2));
        }

        OutboxRelay.Tick tick = relay.tick();

        assertEquals(45, tick.delivered(), "every row in one tick");
        Set<List<UUID>> batches = new HashSet<>();
        for (UUID item : items) {
            List<UUID> written = ids(rows(item));
            assertEquals(3, written.size());
            List<UUID> batch = receiver.batchOf(written.get(0));
            assertEquals(written, batch.stream().filter(written::contains).toList(),
                    "the item's three events in the batch of its first, in the order written");
            batches.add(batch);
        }
        assertTrue(batches.size() >= 2, "the round went out as parallel batches: " + receiver.batches());
        assertTrue(batches.stream().allMatch(b -> b.size() % 3 == 0), "each batch holds whole items: " + receiver.batches());
    }

    @Test
    void aRefusedEventIsRetriedWithExponentialBackoffAndHoldsBackItsItemsLaterEvents() throws Exception {
        clock.advance(Duration.ZERO);
        UUID item = itemWithUnits(2);
        UUID other = itemWithUnits(0);
        receiver.refuse(item);
        List<Row> written = rows(item);
        UUID first = written.get(0).id();

        relay.tick();
        assertEquals(List.of(first), receivedIds(item), "only the item's first event is tried");
        Row r = rows(item).get(0);
        assertEquals(1, r.attempts());
        assertNull(r.publishedAt(), "a 503 is not delivered");
        assertTrue(r.lastError().startsWith("HTTP 503"), r.lastError());
        assertEquals(clock.instant().plusSeconds(1), r.nextAttemptAt().toInstant(), "first wait: 1 s");
        drain();
        assertEquals(ids(rows(other)), receivedIds(other), "other items go on");

        relay.tick();
        assertEquals(1, receivedIds(item).size(), "not before its time");
        long[] waits = { 1, 2, 4, 8 };
        for (int attempt = 2; attempt <= 4; attempt++) {
            clock.advance(Duration.ofSeconds(waits[attempt - 2]).minusMillis(1));
            relay.tick();
            assertEquals(attempt - 1, receivedIds(item).size(), "still waiting before attempt " + attempt);
            clock.advance(Duration.ofMillis(1));
            relay.tick();
            assertEquals(attempt, receivedIds(item).size(), "attempt " + attempt + " after " + waits[attempt - 2] + " s");
            Row now = rows(item).get(0);
            assertEquals(attempt, now.attempts());
            assertEquals(clock.instant().plusSeconds(waits[attempt - 1]), now.nextAttemptAt().toInstant(),
                    "the wait doubles");
            assertTrue(rows(item).subList(1, 3).stream().allMatch(x -> x.attempts() == 0), "later events wait");
        }
        assertEquals(Duration.ofMinutes(5), relay.backoff(30), "never more than duban.relay.max-backoff");

        receiver.accept(item);
        clock.advance(Duration.ofSeconds(8));
        drain();
        List<UUID> expected = new ArrayList<>(List.of(first, first, first, first));
        expected.addAll(ids(written));
        assertEquals(expected, receivedIds(item), "four refusals, then every event in order");
        assertTrue(rows(item).stream().allMatch(x -> x.publishedAt() != null && x.lastError() == null));
    }

    @Test
    void twoRelaysOnOneDatabaseNeverSendAnEventTwice() throws Exception {
        UUID x = itemWithUnits(2);
        UUID y = itemWithUnits(2);
        UUID x1 = rows(x).get(0).id();
        receiver.hold(x1);
        // Relay A claims the first event of each item and is stuck delivering x's.
        CompletableFuture<OutboxRelay.Tick> a = CompletableFuture.supplyAsync(relay::tick);
        try {
            receiver.awaitArrival(x1);
            // Relay B, meanwhile: A's rows are locked and the items' later events are not yet theirs to send.
            OutboxRelay.Tick b = relay.tick();
            assertEquals(0, b.attempted(), "relay B finds nothing it may send");
        } finally {
            receiver.release(x1);
        }
        OutboxRelay.Tick done = a.get(120, TimeUnit.SECONDS);
        assertTrue(done.delivered() >= 6, done.toString());
        drain();
        assertEquals(ids(rows(x)), receivedIds(x), "each of x's events once, in order");
        assertEquals(ids(rows(y)), receivedIds(y), "each of y's events once, in order");
    }

    @Test
    void deliveredRowsArePurgedAfterTheRetentionPeriodAndWaitingOnesNever() throws Exception {
        UUID old = itemWithUnits(0);
        UUID recent = itemWithUnits(0);
        drain();
        UUID waiting = itemWithUnits(0);
        try (Connection c = TestDatabase.forModule("task-service").admin();
                PreparedStatement s = c.prepareStatement("UPDATE task.outbox_event SET created_at = created_at - ?::interval,"
                        + " published_at = published_at - ?::interval WHERE item_id = ?")) {
            for (UUID item : List.of(old, waiting)) {
                s.setString(1, "8 days");
                s.setString(2, "8 days");
                s.setObject(3, item);
                s.executeUpdate();
            }
        }
        assertTrue(relay.purge() >= 1);
        assertEquals(List.of(), rows(old), "delivered 8 days ago, beyond the 7-day retention");
        assertEquals(1, rows(recent).size(), "delivered today: kept");
        assertEquals(1, rows(waiting).size(), "never delivered: kept, however old");
        drain();
        assertEquals(ids(rows(waiting)), receivedIds(waiting));
    }

    @Test
    void theStatusShowsHowFarBehindTheRelayIs() throws Exception {
        UUID item = itemWithUnits(0);
        receiver.refuse(item);
        relay.tick();
        clock.advance(Duration.ofHours(1));
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/relay/status").then().statusCode(200)
                .body("enabled", equalTo(true)).body("credentialsConfigured", equalTo(true))
                .body("target", equalTo(config.notificationUrl() + OutboxRelay.EVENTS_PATH));
        RelayStatus status = relay.status();
        assertTrue(status.pending() >= 1 && status.failing() >= 1, status.toString());
        assertTrue(status.lagSeconds() >= 3600, "the oldest waiting event is at least an hour old: " + status);
        assertTrue(status.lastError().startsWith("HTTP 503"), status.toString());
        assertNotNull(status.nextAttemptAt());

        receiver.accept(item);
        drain();
        RelayStatus after = relay.status();
        assertNotNull(after.lastDeliveredAt());
        assertTrue(after.deliveredByThisInstance() > status.deliveredByThisInstance());
        given().auth().oauth2(DevTokens.service()).get("/api/v1/relay/status").then().statusCode(200);
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/relay/status").then().statusCode(403);
        assertFalse(rows(item).isEmpty());
    }
}
