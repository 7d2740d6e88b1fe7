package io.duban.system.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.testing.DevTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The event pipeline between task-service and notification-service, seen from its two ends: the relay's
 * status and the outbox on one side, what notification-service applied on the other.
 */
public final class EventPipeline {

    private EventPipeline() {
    }

    /** Waits (at most {@code limit}) until the relay reports no event waiting. */
    public static void awaitAllDelivered(ServiceApi task, Duration limit) {
        Instant end = Instant.now().plus(limit);
        while (task.get(DevTokens.admin(), "/api/v1/relay/status").path("pending").asLong(-1) != 0) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("the outbox was not delivered within " + limit + ": "
                        + task.get(DevTokens.admin(), "/api/v1/relay/status"));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Every event task-service wrote was applied by notification-service, once, and nothing else; none
     * waits; notification-service's copies of the assignments agree with task-service's.
     */
    public static void assertEveryEventAppliedOnce(Sql sql) {
        Set<String> written = sql.set("SELECT id::text FROM task.outbox_event");
        Set<String> applied = sql.set("SELECT event_id::text FROM notification.processed_event");
        assertEquals(written, applied, "every event written was applied, and nothing else");
        assertEquals(written.size(), sql.count("SELECT count(*) FROM notification.processed_event"), "each once");
        assertEquals(0, sql.count("SELECT count(*) FROM task.outbox_event WHERE published_at IS NULL"), "none waits");
        assertEquals(pairs(sql, "SELECT item_id || '/' || unit_code || '=' || status FROM task.assignment"
                + " WHERE status <> 'PLANNED'"),
                pairs(sql, "SELECT item_id || '/' || unit_code || '=' || status FROM notification.tracked_assignment"),
                "notification-service's copies agree with task-service's assignments");
    }

    private static Map<String, String> pairs(Sql sql, String query) {
        return sql.strings(query).stream().map(s -> s.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }
}
