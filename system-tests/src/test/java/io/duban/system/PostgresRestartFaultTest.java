package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.system.support.Api;
import io.duban.system.support.Conditions;
import io.duban.system.support.OwnPostgres;
import io.duban.system.support.Pipeline;
import io.duban.system.support.Rows;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under load (issue 10, "Faults": "both services recover without a restart"),
 * on a cluster of this test's own ({@link OwnPostgres}: initdb and pg_ctl on a free port, data in
 * {@code target/pg-restart/}); nothing touches the tests' shared server.
 *
 * <p>task-service and notification-service run as packaged processes against it, their office clock
 * started on a working day in office hours ({@code DUBAN_OFFICE_CLOCK_START}) and the reminder
 * scheduler ticking every second. Three callers create, dispatch and accept items (deadline today: a
 * deadline-day reminder per assignment) while the server is stopped (fast shutdown, every session
 * cut) and started again on the same port and data. Then, with neither service restarted:
 * both answer ready and serve requests again; every event in task-service's outbox is applied once
 * by notification-service (the relay survived); the reminders of items created after the restart are
 * sent (the scheduler survived); every request that was answered 2xx has its effect in the database;
 * every request that failed failed with a 5xx problem+json document, none hung past the client's
 * timeout and none was refused as bad input.
 */
class PostgresRestartFaultTest {

    private static final Logger LOG = Logger.getLogger(PostgresRestartFaultTest.class.getName());
    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path DIR = Path.of(System.getProperty("duban.build.dir", "target")).resolve("pg-restart");
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final String DATABASE = TestDatabase.PREFIX + "_pg_restart";
    /** A Tuesday, 10:00 in Shanghai: a working day in office hours (plain Monday–Friday calendar). */
    private static final String CLOCK_START = "2026-11-10T10:00";
    private static final LocalDate TODAY = LocalDate.parse("2026-11-10");
    private static final int CALLERS = 3;

    private static OwnPostgres pg;
    private static Rows rows;
    private static ServiceProcess notification;
    private static ServiceProcess task;
    private static Api taskApi;
    private static Api notificationApi;
    private static List<String> units;

    @BeforeAll
    static void start() {
        pg = OwnPostgres.startFresh(DIR);
        pg.prepare(DATABASE);
        rows = new Rows(() -> pg.admin(DATABASE));
        notification = ServiceProcess.prepare(ROOT, "notification-service", pg.jdbcUrl(DATABASE, "notification"), Map.of(
                "DUBAN_OFFICE_CLOCK_START", CLOCK_START,
                "DUBAN_REMINDERS_TICK_EVERY", "1s"), DIR);
        task = ServiceProcess.prepare(ROOT, "task-service", pg.jdbcUrl(DATABASE, "task"), Pipeline.relayTo(ROOT, notification,
                "DUBAN_OFFICE_CLOCK_START", CLOCK_START,
                "DUBAN_RELAY_INITIAL_BACKOFF", "PT0.2S",
                "DUBAN_RELAY_MAX_BACKOFF", "PT1S"), DIR);
        notification.env("DUBAN_CALENDAR_SOURCE_URL", task.baseUri())
                .env("DUBAN_DIRECTORY_URL", task.baseUri())
                .env("DUBAN_JWT_PRIVATE_KEY_LOCATION", ROOT.resolve("dev/jwt/privateKey.pem").toString())
                .start(true);
        task.start(true);
        taskApi = Api.of(task);
        notificationApi = Api.of(notification);
        units = Pipeline.units(taskApi, 3);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] { task, notification, pg }) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warning("stopping " + c + ": " + e);
                }
            }
        }
    }

    /** What the callers saw. */
    private static final class Seen {
        final Queue<String> created = new ConcurrentLinkedQueue<>();
        final Queue<String> dispatched = new ConcurrentLinkedQueue<>();
        final Queue<String> accepted = new ConcurrentLinkedQueue<>();
        final Queue<String> cleanFailures = new ConcurrentLinkedQueue<>();
        final Queue<String> otherFailures = new ConcurrentLinkedQueue<>();
        final AtomicInteger createdSinceRestart = new AtomicInteger();
        final AtomicBoolean restarted = new AtomicBoolean();
    }

    @Test
    void bothServicesRecoverWithoutARestartAndNothingAcknowledgedIsLost() throws Exception {
        Seen seen = new Seen();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    oneItem(seen);
                }
            }, "caller-" + i);
            t.start();
            callers.add(t);
        }
        try {
            await("items created before the outage", () -> seen.created.size() >= 10);
            pg.stop();
            LOG.info(() -> "PostgreSQL stopped with " + seen.created.size() + " items created");
            await("requests fail while PostgreSQL is down", () -> seen.cleanFailures.size() + seen.otherFailures.size() >= 3);
            await("task-service is not ready while PostgreSQL is down", () -> !taskApi.ready());
            await("notification-service is not ready while PostgreSQL is down", () -> !notificationApi.ready());
            pg.start();
            seen.restarted.set(true);
            LOG.info(() -> "PostgreSQL started again; " + seen.cleanFailures.size() + " clean failures so far");
            await("task-service ready again", taskApi::ready);
            await("notification-service ready again", notificationApi::ready);
            await("items created after the restart", () -> seen.createdSinceRestart.get() >= 10);
        } finally {
            running.set(false);
            for (Thread t : callers) {
                t.join(Api.REQUEST_TIMEOUT.toMillis() * 2);
            }
        }

        assertEquals(List.of(), List.copyOf(seen.otherFailures),
                "every failed request failed with a 5xx problem+json, none hung, none was refused as bad input");
        assertTrue(!seen.cleanFailures.isEmpty(), "the outage was felt");
        LOG.info(() -> seen.cleanFailures.size() + " requests failed cleanly: " + seen.cleanFailures.stream()
                .map(f -> f.substring(0, f.indexOf(' '))).collect(Collectors.groupingBy(s -> s, Collectors.counting())));

        // Requests succeed again, on both services.
        Pipeline.acceptedItem(taskApi, units, TODAY);
        notificationApi.get(DevTokens.admin(), "/api/v1/reminder-policies");

        // Nothing acknowledged is lost.
        Set<String> items = rows.strings("SELECT id::text FROM task.supervision_item");
        assertTrue(items.containsAll(seen.created), "every item answered 201 exists");
        Set<String> notDraft = rows.strings("SELECT id::text FROM task.supervision_item WHERE status <> 'DRAFT'");
        assertTrue(notDraft.containsAll(seen.dispatched), "every item answered 200 to dispatch is dispatched");
        Set<String> leadAccepted = rows.strings("SELECT item_id::text FROM task.assignment WHERE role = 'LEAD'"
                + " AND status = 'IN_PROGRESS' AND accepted_at IS NOT NULL");
        assertTrue(leadAccepted.containsAll(seen.accepted), "every assignment answered 200 to accept is accepted");

        // The relay survived: every event applied once.
        Pipeline.awaitAllDelivered(taskApi, LIMIT, PostgresRestartFaultTest::logs);
        Pipeline.everyEventAppliedOnceAndTheCopiesAgree(rows);

        // The scheduler survived: the deadline-day reminders of items dispatched after the restart go out.
        await("every deadline-day reminder is sent", () -> rows.count("SELECT count(*) FROM notification.planned_reminder"
                + " WHERE rule = 'DEADLINE_DAY' AND status = 'PLANNED' AND day <= DATE '" + TODAY + "'") == 0
                && rows.count("SELECT count(*) FROM notification.planned_reminder WHERE rule = 'DEADLINE_DAY'") > 0);
        assertEquals(0, rows.count("SELECT count(*) FROM (SELECT reminder_id FROM notification.notification"
                + " WHERE reminder_id IS NOT NULL GROUP BY reminder_id HAVING count(*) > 1) twice"), "no reminder twice");
    }

    /** Creates, dispatches and accepts one item, recording each answer; stops at the first failure. */
    private static void oneItem(Seen seen) {
        String id = step(seen, DevTokens.supervisor(), "/api/v1/tasks", Pipeline.item(units, TODAY), 201);
        if (id == null) {
            return;
        }
        id = Pipeline.jsonId(id);
        seen.created.add(id);
        if (seen.restarted.get()) {
            seen.createdSinceRestart.incrementAndGet();
        }
        if (step(seen, DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null, 200) == null) {
            return;
        }
        seen.dispatched.add(id);
        String lead = units.get(0);
        if (step(seen, DevTokens.handler(lead), "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null, 200) != null) {
            seen.accepted.add(id);
        }
    }

    /** The body of the expected answer, or null after recording the failure. */
    private static String step(Seen seen, String token, String path, Object body, int expected) {
        try {
            Api.Answer a = taskApi.call(token, "POST", path, body);
            if (a.status() == expected) {
                return a.body();
            }
            String failure = a.status() + " POST " + path + ": " + a.contentType() + " " + a.body();
            if (a.status() >= 500 && a.contentType().startsWith("application/problem+json")) {
                seen.cleanFailures.add(failure);
                ServiceProcess.pause(50);
            } else {
                seen.otherFailures.add(failure);
            }
        } catch (HttpTimeoutException e) {
            seen.otherFailures.add("hung (no answer within " + Api.REQUEST_TIMEOUT.toSeconds() + " s): POST " + path);
        } catch (IOException e) {
            seen.otherFailures.add("no answer: POST " + path + ": " + e);
        }
        return null;
    }

    private static void await(String what, BooleanSupplier condition) {
        Conditions.await(what, LIMIT, condition, PostgresRestartFaultTest::logs);
    }

    private static String logs() {
        return "task-service log:\n" + task.logTail() + "\nnotification-service log:\n" + notification.logTail();
    }
}
