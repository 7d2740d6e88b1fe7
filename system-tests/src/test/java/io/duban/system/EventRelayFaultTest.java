package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.duban.system.support.Api;
import io.duban.system.support.Conditions;
import io.duban.system.support.Pipeline;
import io.duban.system.support.Rows;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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

    private static TestDatabase db;
    private static Rows rows;
    private static ServiceProcess notification;
    private static ServiceProcess task;
    private static Api api;
    private static List<String> units;

    @BeforeAll
    static void startBoth() throws Exception {
        db = TestDatabase.forModule("relay-faults").prepare();
        rows = new Rows(db::admin);
        notification = ServiceProcess.prepare(ROOT, "notification-service", db.jdbcUrl("notification"), Map.of(), LOGS)
                .start(true);
        task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"), Pipeline.relayTo(ROOT, notification,
                "DUBAN_RELAY_BATCH_SIZE", "10",
                "DUBAN_RELAY_MAX_PER_TICK", "20",
                "DUBAN_RELAY_INITIAL_BACKOFF", "PT0.2S",
                "DUBAN_RELAY_MAX_BACKOFF", "PT1S"), LOGS).start(true);
        api = Api.of(task);
        units = Pipeline.units(api, 3);
    }

    @AfterAll
    static void stopBoth() {
        ServiceProcess.closeAll(task, notification);
    }

    @Test
    @Order(1)
    void eventsWrittenWhileNotificationServiceIsDownArriveOnceWhenItIsBack() {
        for (int i = 0; i < 5; i++) {
            acceptedItem();
        }
        awaitAllDelivered();
        Pipeline.everyEventAppliedOnceAndTheCopiesAgree(rows);

        notification.stop();
        for (int i = 0; i < 20; i++) {
            String id = acceptedItem();
            api.post(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/urge",
                    Map.of("unitCode", units.get(0), "message", "请加快办理。"), 200);
        }
        await("the relay has tried and failed", () -> Pipeline.relayStatus(api).path("failing").asLong() > 0);
        JsonNode down = Pipeline.relayStatus(api);
        assertTrue(down.path("pending").asLong() >= 20 * 5, down.toString());
        assertFalse(down.path("lastError").asText().isEmpty(), down.toString());

        notification.start(false);
        awaitAllDelivered();
        Pipeline.everyEventAppliedOnceAndTheCopiesAgree(rows);
    }

    @Test
    @Order(2)
    void aRelayKilledMidBacklogLosesNothingAndItsDuplicatesAreAbsorbed() {
        notification.stop();
        for (int i = 0; i < 150; i++) {
            acceptedItem();
        }
        long total = rows.count("SELECT count(*) FROM task.outbox_event");
        long before = rows.count("SELECT count(*) FROM notification.processed_event");
        notification.start(false);
        long third = before + (total - before) / 3;
        await("a third of the backlog applied", () -> rows.count("SELECT count(*) FROM notification.processed_event") >= third);
        task.kill();
        long atKill = rows.count("SELECT count(*) FROM notification.processed_event");
        LOG.info(() -> "task-service killed with " + atKill + " of " + total + " events applied");
        assertTrue(atKill < total, "the kill came in the middle of the backlog: " + atKill + " of " + total);

        task.start(false);
        awaitAllDelivered();
        Pipeline.everyEventAppliedOnceAndTheCopiesAgree(rows);
    }

    private static String acceptedItem() {
        return Pipeline.acceptedItem(api, units, LocalDate.now().plusDays(30));
    }

    private static void awaitAllDelivered() {
        Pipeline.awaitAllDelivered(api, CONDITION_LIMIT, () -> "task-service log:\n" + task.logTail());
    }

    private static void await(String what, BooleanSupplier condition) {
        Conditions.await(what, CONDITION_LIMIT, condition,
                () -> "relay status " + Pipeline.relayStatus(api) + "\ntask-service log:\n" + task.logTail());
    }
}
