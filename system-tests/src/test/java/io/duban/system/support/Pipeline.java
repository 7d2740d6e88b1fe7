package io.duban.system.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.duban.testing.DevTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * What the event-pipeline tests do through task-service's API (units, items that produce events)
 * and what they check behind both services (every outbox event applied once by notification-service).
 */
public final class Pipeline {

    private Pipeline() {
    }

    /** A new unit with an e-mail contact; returns its code. */
    public static String unit(Api task) {
        String code = "R" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36).toUpperCase();
        task.post(DevTokens.admin(), "/api/v1/units",
                Map.of("code", code, "name", "测试单位" + code, "contactEmail", code.toLowerCase() + "@example.gov.cn"), 201);
        return code;
    }

    /** {@code n} new units ({@link #unit}); the first leads the items of {@link #item}, the others assist. */
    public static List<String> units(Api task, int n) {
        List<String> units = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            units.add(unit(task));
        }
        return List.copyOf(units);
    }

    /** The body of a new item led by the first unit, assisted by the others. */
    public static Map<String, Object> item(List<String> units, LocalDate deadline) {
        return item("关于推进老旧小区改造工作的批示", units, deadline);
    }

    /** The same, with a title of the test's choosing (to find the item, or its absence, by it). */
    public static Map<String, Object> item(String title, List<String> units, LocalDate deadline) {
        Map<String, Object> item = new HashMap<>();
        item.put("title", title);
        item.put("sourceType", "LEADER_INSTRUCTION");
        item.put("priority", "URGENT");
        item.put("deadline", deadline.toString());
        item.put("leadUnit", units.get(0));
        item.put("assistUnits", units.subList(1, units.size()));
        item.put("feedbackCycle", "WEEKLY");
        return item;
    }

    /** An item of the units, dispatched and accepted by its lead unit: four events (three units). */
    public static String acceptedItem(Api task, List<String> units, LocalDate deadline) {
        String id = jsonId(task.post(DevTokens.supervisor(), "/api/v1/tasks", item(units, deadline), 201));
        task.post(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null, 200);
        task.post(DevTokens.handler(units.get(0)), "/api/v1/tasks/" + id + "/assignments/" + units.get(0) + "/accept", null, 200);
        return id;
    }

    public static String jsonId(String body) {
        try {
            return Api.JSON.readTree(body).path("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(body, e);
        }
    }

    /**
     * task-service's environment for a relay to this notification-service: events signed with the dev
     * key, a tick every second; then {@code more}, as name, value, name, value... (a map the caller may add to)
     */
    public static Map<String, String> relayTo(Path root, ServiceProcess notification, String... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("names and values in pairs: " + String.join(", ", more));
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DUBAN_RELAY_NOTIFICATION_URL", notification.baseUri());
        env.put("DUBAN_RELAY_SIGNING_KEY_LOCATION", root.resolve("dev/jwt/privateKey.pem").toString());
        env.put("DUBAN_RELAY_INTERVAL", "1s");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /** task-service's relay status ({@code GET /api/v1/relay/status}, admin). */
    public static JsonNode relayStatus(Api task) {
        return task.get(DevTokens.admin(), "/api/v1/relay/status");
    }

    /** Waits (at most {@code limit}) until the relay reports no event waiting. */
    public static void awaitAllDelivered(Api task, Duration limit) {
        awaitAllDelivered(task, limit, () -> "");
    }

    /** The same; a failure shows the relay's status, then {@code diagnostics} (e.g. a service's log). */
    public static void awaitAllDelivered(Api task, Duration limit, Supplier<String> diagnostics) {
        Conditions.await("the outbox is delivered", limit, () -> relayStatus(task).path("pending").asLong(-1) == 0,
                () -> "relay status " + relayStatusOrWhyNot(task) + "\n" + diagnostics.get());
    }

    private static String relayStatusOrWhyNot(Api task) {
        try {
            return relayStatus(task).toString();
        } catch (RuntimeException | AssertionError e) {
            return "(unavailable: " + e + ")";
        }
    }

    /**
     * Every event task-service wrote (its outbox) was applied by notification-service, once, and
     * nothing else; every outbox row is marked delivered; notification-service's copies of the
     * assignments agree with task-service's.
     */
    public static void everyEventAppliedOnceAndTheCopiesAgree(Rows db) {
        Set<String> written = db.strings("SELECT id::text FROM task.outbox_event");
        Set<String> applied = db.strings("SELECT event_id::text FROM notification.processed_event");
        assertEquals(written, applied, "every event written was applied, and nothing else");
        assertEquals(written.size(), db.count("SELECT count(*) FROM notification.processed_event"), "each once");
        assertEquals(0, db.count("SELECT count(*) FROM task.outbox_event WHERE published_at IS NULL"), "none waits");
        Map<String, String> assignments = db.pairs("SELECT item_id || '/' || unit_code, status FROM task.assignment"
                + " WHERE status <> 'PLANNED'");
        Map<String, String> copies = db.pairs("SELECT item_id || '/' || unit_code, status FROM notification.tracked_assignment");
        assertEquals(assignments, copies, "notification-service's copies agree with task-service's assignments");
    }
}
