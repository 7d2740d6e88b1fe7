package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.duban.system.support.Api;
import io.duban.system.support.Conditions;
import io.duban.system.support.Pipeline;
import io.duban.system.support.Rows;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * SIGTERM under load (issue 12, "Stopping and restoring without loss"): the packaged task-service and
 * notification-service as processes on a database of this test's own, clients creating items and
 * dispatching and accepting them, the relay sending their events; then SIGTERM to one service, as
 * Kubernetes sends it to a pod it ends.
 *
 * <p>What must hold: readiness goes DOWN while requests are still served (the pre-shutdown delay);
 * every request that got an answer got a 2xx or a clean 503 problem (a client's connection refused
 * once the port is closed is counted apart; a connection reset is a failure); every create answered
 * 2xx is in the database, every create refused is not; the process exits within the termination grace
 * period with the status of a JVM ended by SIGTERM (143); no outbox row stays claimed; and after the
 * service is started again every event is delivered and applied exactly once.
 *
 * <p>The clients behave as a load balancer makes them: one that was refused (503) or could not
 * connect stops sending to this instance. Waiting is for conditions; the only bound on time asserted
 * is the grace period, and that generously (Kubernetes' default, 30 s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("it times a service's end against the pre-shutdown delay's windows: no other class runs meanwhile")
class GracefulShutdownTest {

    private static final Logger LOG = Logger.getLogger(GracefulShutdownTest.class.getName());
    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = Path.of(System.getProperty("duban.build.dir", "target")).resolve("graceful-shutdown");
    /** Kubernetes' default terminationGracePeriodSeconds. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    /** The exit status of a JVM that ended on SIGTERM after its shutdown hooks ran (128 + 15). */
    private static final int SIGTERM_EXIT = 143;
    private static final Duration CONDITION_LIMIT = Duration.ofMinutes(3);
    private static final int CLIENTS = 6;
    /**
     * The pre-shutdown delay: long enough for requests to be seen served while readiness is already
     * DOWN (its first 3 s), then refusals for the rest, so that every client has been refused, and
     * stopped, before the drain (a request on a loaded machine may take more than a second).
     */
    private static final String DELAY = "6s";
    private static final String REFUSE = "3s";

    private static TestDatabase db;
    private static Rows rows;
    private static ServiceProcess notification;
    private static ServiceProcess task;
    private static Api taskApi;
    private static List<String> units;

    @BeforeAll
    static void startBoth() {
        db = TestDatabase.forModule("graceful-shutdown").prepare();
        rows = new Rows(db::admin);
        notification = ServiceProcess.prepare(ROOT, "notification-service", db.jdbcUrl("notification"),
                Map.of("QUARKUS_SHUTDOWN_DELAY", DELAY, "DUBAN_SHUTDOWN_REFUSE_BEFORE_DRAIN", REFUSE), LOGS).start(true);
        task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"), Pipeline.relayTo(ROOT, notification,
                "QUARKUS_SHUTDOWN_DELAY", DELAY, "DUBAN_SHUTDOWN_REFUSE_BEFORE_DRAIN", REFUSE,
                "DUBAN_RELAY_BATCH_SIZE", "5",
                "DUBAN_RELAY_INITIAL_BACKOFF", "PT0.2S",
                "DUBAN_RELAY_MAX_BACKOFF", "PT1S"), LOGS).start(true);
        taskApi = Api.of(task);
        units = Pipeline.units(taskApi, 3);
    }

    @AfterAll
    static void stopBoth() {
        ServiceProcess.closeAll(task, notification);
    }

    @Test
    @Order(1)
    void taskServiceEndsUnderLoadWithoutFailingAnAcceptedRequestOrLosingAnEvent() throws Exception {
        Load load = new Load(taskApi, "甲");
        load.start();
        await("some items created under load", () -> load.created.size() >= 15);

        Ending end = Ending.of(task);
        load.join();

        assertTrue(end.exit.isPresent(), "task-service exited within the grace period of " + GRACE.toSeconds() + " s");
        assertEquals(SIGTERM_EXIT, end.exit.getAsInt(), "the exit status of a JVM ended by SIGTERM");
        LOG.info(() -> "task-service ended in " + end.took.toMillis() + " ms; " + load.summary());
        assertTrue(end.readinessDownAt > 0, "readiness reported DOWN during the shutdown");
        assertTrue(load.servedAfter(end.readinessDownAt), "requests were still served after readiness went DOWN: "
                + load.summary());
        load.assertEveryAnswerWasSuccessOrCleanRefusal();
        assertTrue(task.logTail().contains("shutting down"), "the service said it is shutting down");

        // Every create answered 2xx is there; every create refused is not (nothing half done).
        Set<String> items = rows.strings("SELECT id::text FROM task.supervision_item");
        assertTrue(items.containsAll(load.created.keySet()), "every item answered 2xx exists");
        Set<String> titles = rows.strings("SELECT title FROM task.supervision_item");
        for (String refusedTitle : load.refusedCreates) {
            assertTrue(!titles.contains(refusedTitle), "a refused create left nothing: " + refusedTitle);
        }
        for (String accepted : load.accepted) {
            assertEquals(List.of("IN_PROGRESS"), rows.list("SELECT status FROM task.assignment WHERE item_id = '"
                    + accepted + "' AND role = 'LEAD'"), "the accept answered 2xx is stored");
        }
        // No outbox row stays claimed: every waiting row can be claimed at once.
        long waiting = rows.count("SELECT count(*) FROM task.outbox_event WHERE published_at IS NULL");
        long claimable = rows.count("SELECT count(*) FROM (SELECT id FROM task.outbox_event WHERE published_at IS NULL"
                + " FOR UPDATE SKIP LOCKED) r");
        assertEquals(waiting, claimable, "no outbox row is left claimed");

        task.start(false);
        awaitAllDelivered();
        everyEventAppliedOnceAndTheCopiesAgree();
    }

    @Test
    @Order(2)
    void notificationServiceEndsWhileEventsArriveAndLosesNone() throws Exception {
        if (!task.alive()) {
            task.start(false); // the test before failed before it started it again
        }
        long before = rows.count("SELECT count(*) FROM notification.processed_event");
        Load load = new Load(taskApi, "乙");
        load.start();
        await("events of the new load arriving at notification-service",
                () -> rows.count("SELECT count(*) FROM notification.processed_event") >= before + 20);

        Ending end = Ending.of(notification);
        load.stop.set(true);
        load.join();

        assertTrue(end.exit.isPresent(), "notification-service exited within the grace period");
        assertEquals(SIGTERM_EXIT, end.exit.getAsInt(), "the exit status of a JVM ended by SIGTERM");
        LOG.info(() -> "notification-service ended in " + end.took.toMillis() + " ms; task-service load " + load.summary());
        assertTrue(end.readinessDownAt > 0, "readiness reported DOWN during the shutdown");
        load.assertEveryAnswerWasSuccessOrCleanRefusal();
        assertTrue(notification.logTail().contains("shutting down"), "the service said it is shutting down");
        // Its claims are row locks of transactions: none outlives the process.
        for (String table : List.of("notification.planned_reminder", "notification.delivery")) {
            assertEquals(rows.count("SELECT count(*) FROM " + table),
                    rows.count("SELECT count(*) FROM (SELECT 1 FROM " + table + " FOR UPDATE SKIP LOCKED) r"),
                    "no row of " + table + " is left claimed");
        }

        notification.start(false);
        awaitAllDelivered();
        everyEventAppliedOnceAndTheCopiesAgree();
    }

    // ---- the ending of a process ------------------------------------------------------------------------

    /** SIGTERM, readiness watched until the process is gone, and how it ended. */
    private record Ending(OptionalInt exit, Duration took, long readinessDownAt) {

        static Ending of(ServiceProcess service) throws InterruptedException {
            Api api = Api.of(service);
            AtomicLong downAt = new AtomicLong();
            AtomicBoolean over = new AtomicBoolean();
            Thread watch = new Thread(() -> {
                while (!over.get() && downAt.get() == 0) {
                    try {
                        if (api.call(null, "GET", "/q/health/ready", null).status() == 503) {
                            downAt.set(System.nanoTime());
                        }
                        Thread.sleep(10);
                    } catch (IOException e) {
                        return; // the port is closed
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-watch");
            Instant sent = Instant.now();
            service.signalTerm();
            watch.start();
            OptionalInt exit = service.awaitExit(GRACE);
            Duration took = Duration.between(sent, Instant.now());
            over.set(true);
            watch.join();
            if (exit.isEmpty()) {
                service.kill();
            }
            return new Ending(exit, took, downAt.get());
        }
    }

    // ---- the load -----------------------------------------------------------------------------------------

    /** Clients that create, dispatch and accept items until refused, unable to connect, or stopped. */
    private static final class Load {

        private final Api api;
        private final String tag;
        final AtomicBoolean stop = new AtomicBoolean();
        final Map<String, String> created = new java.util.concurrent.ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> refusedCreates = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> servedStarts = new ConcurrentLinkedQueue<>();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger connectionRefused = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();

        Load(Api api, String tag) {
            this.api = api;
            this.tag = tag;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                Thread t = new Thread(() -> run(client), "load-" + tag + i);
                threads.add(t);
                t.start();
            }
        }

        void join() throws InterruptedException {
            for (Thread t : threads) {
                t.join(CONDITION_LIMIT.toMillis());
                assertTrue(!t.isAlive(), t.getName() + " ended");
            }
        }

        private void run(int client) {
            for (int n = 0; !stop.get(); n++) {
                String title = "关于第" + tag + client + "-" + n + "项督办事项的批示";
                JsonNode item = send("create " + title, DevTokens.supervisor(), "/api/v1/tasks",
                        Pipeline.item(title, units, LocalDate.now().plusDays(30)), title);
                if (item == null) {
                    return;
                }
                String id = item.path("id").asText();
                created.put(id, title);
                if (send("dispatch " + id, DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null, null) == null) {
                    return;
                }
                if (send("accept " + id, DevTokens.handler(units.get(0)),
                        "/api/v1/tasks/" + id + "/assignments/" + units.get(0) + "/accept", null, null) == null) {
                    return;
                }
                accepted.add(id);
            }
        }

        /** The answer's JSON when 2xx; null when this client should stop (refused, no connection, failure). */
        private JsonNode send(String what, String token, String path, Object body, String createdTitle) {
            long started = System.nanoTime();
            try {
                Api.Answer r = api.call(token, "POST", path, body);
                if (r.ok()) {
                    ok.incrementAndGet();
                    servedStarts.add(started);
                    return r.json();
                }
                if (r.status() == 503 && cleanRefusal(r)) {
                    refused.incrementAndGet();
                    if (createdTitle != null) {
                        refusedCreates.add(createdTitle);
                    }
                } else {
                    failures.add(what + ": " + r.status() + " " + r.headers() + " " + r.body());
                }
                return null;
            } catch (ConnectException e) {
                connectionRefused.incrementAndGet();
                if (createdTitle != null) {
                    refusedCreates.add(createdTitle);
                }
                return null;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return null;
                }
                failures.add(what + ": " + e);
                return null;
            }
        }

        private static boolean cleanRefusal(Api.Answer r) {
            try {
                JsonNode p = r.json();
                return r.contentType().startsWith("application/problem+json")
                        && p.path("status").asInt() == 503 && !p.path("detail").asText().isEmpty()
                        && r.header("Retry-After").isPresent();
            } catch (IllegalStateException notJson) {
                return false;
            }
        }

        boolean servedAfter(long nanoTime) {
            return servedStarts.stream().anyMatch(t -> t > nanoTime);
        }

        void assertEveryAnswerWasSuccessOrCleanRefusal() {
            assertEquals(List.of(), List.copyOf(failures),
                    "every request was answered 2xx or refused cleanly (503 problem) or not connected; " + summary());
        }

        String summary() {
            return ok.get() + " answered 2xx, " + refused.get() + " refused with 503, " + connectionRefused.get()
                    + " not connected, " + failures.size() + " failed; " + created.size() + " items created";
        }
    }

    // ---- the event pipeline's checks -------------------------------------------------------------------------

    private static void awaitAllDelivered() {
        Pipeline.awaitAllDelivered(taskApi, CONDITION_LIMIT, () -> "task-service log:\n" + task.logTail());
    }

    private static void everyEventAppliedOnceAndTheCopiesAgree() {
        Pipeline.everyEventAppliedOnceAndTheCopiesAgree(rows);
    }

    private static void await(String what, BooleanSupplier condition) {
        Conditions.await(what, CONDITION_LIMIT, condition, () -> "task-service log:\n" + task.logTail());
    }
}
