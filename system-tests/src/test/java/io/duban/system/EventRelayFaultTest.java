package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.system.support.EventPipeline;
import io.duban.system.support.ServiceProcess;
import io.duban.system.support.Sql;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The event pipeline under faults, with the packaged services as real processes on a database of
 * this test's own: notification-service stopped while task-service keeps changing items, then started
 * again; task-service killed (SIGKILL, as kill -9) while its relay is in the middle of a backlog, then
 * started again. Each time every event task-service wrote must end up applied by notification-service,
 * once (its processed_event ids are exactly the outbox's ids), and its copies of the assignments must
 * agree with task-service's.
 *
 * <p>The relay runs with small batches and short backoff (environment below), so that a backlog takes
 * seconds to drain and the kill lands in its middle. Waiting is for conditions (the relay's status,
 * rows in the database), with generous limits; nothing here asserts on time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventRelayFaultTest {

    private static final Logger LOG = Logger.getLogger(EventRelayFaultTest.class.getName());
    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = Path.of(System.getProperty("duban.build.dir", "target")).resolve("relay-faults");
    private static final Duration CONDITION_LIMIT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDatabase db;
    private static ServiceProcess notification;
    private static ServiceProcess task;
    private static List<String> units;

    @BeforeAll
    static void startBoth() throws Exception {
        db = TestDatabase.forModule("relay-faults").prepare();
        notification = ServiceProcess.prepare(ROOT, "notification-service", db.jdbcUrl("notification"), Map.of(), LOGS)
                .start(true);
        task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"), Map.of(
                "DUBAN_RELAY_NOTIFICATION_URL", notification.baseUri(),
                "DUBAN_RELAY_SIGNING_KEY_LOCATION", ROOT.resolve("dev/jwt/privateKey.pem").toString(),
                "DUBAN_RELAY_INTERVAL", "1s",
                "DUBAN_RELAY_BATCH_SIZE", "10",
                "DUBAN_RELAY_MAX_PER_TICK", "20",
                "DUBAN_RELAY_INITIAL_BACKOFF", "PT0.2S",
                "DUBAN_RELAY_MAX_BACKOFF", "PT1S"), LOGS).start(true);
        units = List.of(unit(), unit(), unit());
    }

    @AfterAll
    static void stopBoth() {
        if (task != null) {
            task.close();
        }
        if (notification != null) {
            notification.close();
        }
    }

    @Test
    @Order(1)
    void eventsWrittenWhileNotificationServiceIsDownArriveOnceWhenItIsBack() throws Exception {
        for (int i = 0; i < 5; i++) {
            acceptedItem();
        }
        awaitAllDelivered();
        everyEventAppliedOnceAndTheCopiesAgree();

        notification.stop();
        for (int i = 0; i < 20; i++) {
            String id = acceptedItem();
            post(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/urge",
                    Map.of("unitCode", units.get(0), "message", "请加快办理。"), 200);
        }
        await("the relay has tried and failed", () -> status().path("failing").asLong() > 0);
        JsonNode down = status();
        assertTrue(down.path("pending").asLong() >= 20 * 5, down.toString());
        assertFalse(down.path("lastError").asText().isEmpty(), down.toString());

        notification.start(false);
        awaitAllDelivered();
        everyEventAppliedOnceAndTheCopiesAgree();
    }

    @Test
    @Order(2)
    void aRelayKilledMidBacklogLosesNothingAndItsDuplicatesAreAbsorbed() throws Exception {
        notification.stop();
        for (int i = 0; i < 150; i++) {
            acceptedItem();
        }
        long total = count("SELECT count(*) FROM task.outbox_event");
        long before = count("SELECT count(*) FROM notification.processed_event");
        notification.start(false);
        long third = before + (total - before) / 3;
        await("a third of the backlog applied", () -> count("SELECT count(*) FROM notification.processed_event") >= third);
        task.kill();
        long atKill = count("SELECT count(*) FROM notification.processed_event");
        LOG.info(() -> "task-service killed with " + atKill + " of " + total + " events applied");
        assertTrue(atKill < total, "the kill came in the middle of the backlog: " + atKill + " of " + total);

        task.start(false);
        awaitAllDelivered();
        everyEventAppliedOnceAndTheCopiesAgree();
    }

    // ---- the checks ---------------------------------------------------------------------------------------

    private static void everyEventAppliedOnceAndTheCopiesAgree() {
        EventPipeline.assertEveryEventAppliedOnce(new Sql(db));
    }

    private static void awaitAllDelivered() {
        await("the outbox is delivered", () -> {
            JsonNode s = status();
            return s.path("pending").asLong(-1) == 0;
        });
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant limit = Instant.now().plus(CONDITION_LIMIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(limit)) {
                throw new AssertionError("not reached: " + what + "; relay status " + status()
                        + "\ntask-service log:\n" + task.logTail());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- task-service through its API ---------------------------------------------------------------------

    private static JsonNode status() {
        try {
            return JSON.readTree(send(DevTokens.admin(), "GET", "/api/v1/relay/status", null, 200));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unit() {
        String code = "R" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36).toUpperCase();
        post(DevTokens.admin(), "/api/v1/units",
                Map.of("code", code, "name", "测试单位" + code, "contactEmail", code.toLowerCase() + "@example.gov.cn"), 201);
        return code;
    }

    /** An item of the three units, dispatched and accepted by its lead unit: four events. */
    private static String acceptedItem() throws IOException {
        Map<String, Object> item = new HashMap<>();
        item.put("title", "关于推进老旧小区改造工作的批示");
        item.put("sourceType", "LEADER_INSTRUCTION");
        item.put("priority", "URGENT");
        item.put("deadline", LocalDate.now().plusDays(30).toString());
        item.put("leadUnit", units.get(0));
        item.put("assistUnits", units.subList(1, 3));
        item.put("feedbackCycle", "WEEKLY");
        String id = JSON.readTree(post(DevTokens.supervisor(), "/api/v1/tasks", item, 201)).path("id").asText();
        post(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null, 200);
        post(DevTokens.handler(units.get(0)), "/api/v1/tasks/" + id + "/assignments/" + units.get(0) + "/accept", null, 200);
        return id;
    }

    private static String post(String token, String path, Object body, int expected) {
        return send(token, "POST", path, body, expected);
    }

    private static String send(String token, String method, String path, Object body, int expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(task.baseUri() + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the database, behind both services -----------------------------------------------------------------

    private static long count(String sql) {
        try (Connection c = db.admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
