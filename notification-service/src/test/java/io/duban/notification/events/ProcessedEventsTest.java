package io.duban.notification.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.events.Event;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ids of events applied long ago are forgotten; those within the retention still stop a redelivery. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ProcessedEventsTest {

    @Inject
    ProcessedEvents processed;

    @Inject
    SettableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static void applied(UUID eventId, Instant at) throws Exception {
        try (Connection c = TestDatabase.forModule("notification-service").admin();
                PreparedStatement s = c.prepareStatement("""
                        INSERT INTO notification.processed_event (event_id, type, item_id, unit_code, occurred_at, applied_at)
                        VALUES (?, 'ITEM_DISPATCHED', ?, 'FGW', ?, ?)""")) {
            s.setObject(1, eventId);
            s.setObject(2, UUID.randomUUID());
            s.setObject(3, at.atOffset(ZoneOffset.UTC));
            s.setObject(4, at.atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private static boolean known(UUID eventId) throws Exception {
        try (Connection c = TestDatabase.forModule("notification-service").admin();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM notification.processed_event WHERE event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    @Test
    void eventsAppliedBeforeTheRetentionAreForgottenInBatches() throws Exception {
        Instant now = Instant.now();
        List<UUID> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = UUID.randomUUID();
            applied(id, now.minus(Duration.ofDays(91 + i)));
            old.add(id);
        }
        UUID recent = UUID.randomUUID();
        applied(recent, now.minus(Duration.ofDays(89)));

        // Batches of two: five old rows (and any other test's) take at least three batches.
        long purged = processed.purgeBefore(now.minus(Duration.ofDays(90)), 2);

        assertTrue(purged >= 5, "purged " + purged);
        for (UUID id : old) {
            assertFalse(known(id), "an event applied before the retention is forgotten");
        }
        assertTrue(known(recent), "an event applied within the retention is kept");
    }

    @Test
    void theRetentionIsReadOnTheOfficeClockAndAKeptIdStillStopsARedelivery() throws Exception {
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("FGW");
        given().auth().oauth2(DevTokens.service()).contentType(ContentType.JSON).body(SampleEvents.json(dispatched))
                .post("/api/v1/events").then().statusCode(200).body("applied", equalTo(true));

        clock.pin(LocalDateTime.now(SettableClock.ZONE).plusDays(89));
        processed.purge();
        assertTrue(known(dispatched.eventId()), "89 days on, the default retention (90 days) keeps it");
        given().auth().oauth2(DevTokens.service()).contentType(ContentType.JSON).body(SampleEvents.json(dispatched))
                .post("/api/v1/events").then().statusCode(200).body("applied", equalTo(false));

        clock.pin(LocalDateTime.now(SettableClock.ZONE).plusDays(91));
        assertTrue(processed.purge() >= 1);
        assertFalse(known(dispatched.eventId()), "91 days on, it is forgotten");
    }

    @Test
    void aRetentionUnderADayIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProcessedEvents(null, clock, null, Duration.ofHours(23)));
        assertTrue(e.getMessage().contains("duban.events.processed-retention"), e.getMessage());
    }
}
