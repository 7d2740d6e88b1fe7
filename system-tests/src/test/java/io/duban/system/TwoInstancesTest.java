package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.system.support.Api;
import io.duban.system.support.Conditions;
import io.duban.system.support.Pipeline;
import io.duban.system.support.Rows;
import io.duban.system.support.ServiceProcess;
import io.duban.system.support.SmtpSinkProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several replicas are safe (issue 12; issue 10's "two instances of each service on one database: no
 * reminder twice"): two task-service, two notification-service and two report-service processes on
 * one database, each pair sharing its schema, as two replicas of a deployment do.
 *
 * <p>Every process runs its office clock from a working day in office hours
 * ({@code DUBAN_OFFICE_CLOCK_START}); the reminder scheduler and the delivery worker tick every second;
 * each task-service relays to its own notification-service; e-mail goes to the repository's SMTP sink
 * ({@code dev/SmtpSink.java}). Items are created concurrently through both task-services, with today's
 * deadline, so each dispatched assignment has a deadline-day reminder due at once, for both schedulers
 * to race for. Bulletins are issued concurrently through both report-services.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path DIR = Path.of(System.getProperty("duban.build.dir", "target")).resolve("two-instances");
    private static final Duration LIMIT = Duration.ofMinutes(3);
    /** A Tuesday, 10:00 in Shanghai: a working day in office hours (plain Monday–Friday calendar). */
    private static final String CLOCK_START = "2026-11-10T10:00";
    private static final LocalDate TODAY = LocalDate.parse("2026-11-10");
    private static final int ITEMS = 60;
    private static final int BULLETINS = 20;
    private static final int CALLERS = 6;

    private static TestDatabase db;
    private static Rows rows;
    private static SmtpSinkProcess smtp;
    private static final List<ServiceProcess> TASK = new ArrayList<>();
    private static final List<ServiceProcess> NOTIFICATION = new ArrayList<>();
    private static final List<ServiceProcess> REPORT = new ArrayList<>();
    private static List<String> units;

    @BeforeAll
    static void startTwoOfEach() {
        db = TestDatabase.forModule("two-instances").prepare();
        rows = new Rows(db::admin);
        smtp = SmtpSinkProcess.start(ROOT, DIR.resolve("mail-" + ProcessHandle.current().pid()));
        String key = ROOT.resolve("dev/jwt/privateKey.pem").toString();
        for (String name : List.of("a", "b")) {
            Path logs = DIR.resolve(name);
            ServiceProcess notification = ServiceProcess.prepare(ROOT, "notification-service", db.jdbcUrl("notification"),
                    Map.of("DUBAN_OFFICE_CLOCK_START", CLOCK_START,
                            "DUBAN_REMINDERS_TICK_EVERY", "1s",
                            "DUBAN_DELIVERY_TICK_EVERY", "1s",
                            "DUBAN_SMTP_PORT", String.valueOf(smtp.port()),
                            "DUBAN_JWT_PRIVATE_KEY_LOCATION", key), logs);
            ServiceProcess task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"),
                    Pipeline.relayTo(ROOT, notification, "DUBAN_OFFICE_CLOCK_START", CLOCK_START,
                            "DUBAN_RELAY_BATCH_SIZE", "10",
                            // Six JVMs on a small machine answer slowly at first; a timeout would only mean a retry.
                            "DUBAN_RELAY_REQUEST_TIMEOUT", "PT60S"), logs);
            notification.env("DUBAN_CALENDAR_SOURCE_URL", task.baseUri()).env("DUBAN_DIRECTORY_URL", task.baseUri());
            ServiceProcess report = ServiceProcess.prepare(ROOT, "report-service", db.jdbcUrl("report"),
                    Map.of("DUBAN_OFFICE_CLOCK_START", CLOCK_START), logs);
            NOTIFICATION.add(notification);
            TASK.add(task);
            REPORT.add(report);
        }
        // The first of each cleans and migrates its schema; the second starts on it as a replica does.
        // report-service's first start needs task-service's reporting views, which task-service migrates.
        join(starting(TASK.get(0), true), starting(NOTIFICATION.get(0), true));
        join(starting(REPORT.get(0), true), starting(TASK.get(1), false), starting(NOTIFICATION.get(1), false));
        join(starting(REPORT.get(1), false));
        Api task = Api.of(TASK.get(0));
        units = Pipeline.units(task, 3);
    }

    private static CompletableFuture<Void> starting(ServiceProcess service, boolean clean) {
        // A thread each: the common pool has a single thread on a two-core machine.
        return CompletableFuture.runAsync(() -> service.start(clean), r -> new Thread(r, "start").start());
    }

    private static void join(CompletableFuture<?>... starts) {
        CompletableFuture.allOf(starts).join();
    }

    @AfterAll
    static void stopAll() {
        List<ServiceProcess> all = new ArrayList<>(TASK);
        all.addAll(NOTIFICATION);
        all.addAll(REPORT);
        all.parallelStream().forEach(ServiceProcess::close);
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    @Order(1)
    void itemNumbersAreUniqueAndGapFreeAcrossBothTaskServices() throws Exception {
        List<String> ids = concurrently(ITEMS, i -> {
            Api task = Api.of(TASK.get(i % 2));
            String id = Pipeline.jsonId(task.post(DevTokens.supervisor(), "/api/v1/tasks", Pipeline.item(units, TODAY), 201));
            task.post(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null, 200);
            return id;
        });
        assertEquals(ITEMS, Set.copyOf(ids).size());
        List<String> numbers = rows.list("SELECT number FROM task.supervision_item ORDER BY number");
        assertEquals(ITEMS, numbers.size());
        assertEquals(ITEMS, Set.copyOf(numbers).size(), "no number twice: " + numbers);
        Set<Integer> seqs = numbers.stream().map(n -> Integer.parseInt(n.substring(n.lastIndexOf('-') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(IntStream.rangeClosed(1, ITEMS).boxed().collect(Collectors.toCollection(TreeSet::new)), seqs,
                "numbers 1..n without gaps: " + numbers);
        assertTrue(numbers.stream().allMatch(n -> n.contains("2026")), "numbered in the office clock's year: " + numbers);
    }

    @Test
    @Order(2)
    void bothRelaysDeliverEveryEventExactlyOnce() {
        Pipeline.awaitAllDelivered(Api.of(TASK.get(0)), LIMIT, TwoInstancesTest::logs);
        Pipeline.everyEventAppliedOnceAndTheCopiesAgree(rows);
        long written = rows.count("SELECT count(*) FROM task.outbox_event");
        // A row both relays had sent would count in both totals (each marks what it sent as delivered);
        // a retry after a failed attempt (a timeout under load) counts once, by whichever relay succeeded.
        long byA = Pipeline.relayStatus(Api.of(TASK.get(0))).path("deliveredByThisInstance").asLong();
        long byB = Pipeline.relayStatus(Api.of(TASK.get(1))).path("deliveredByThisInstance").asLong();
        assertEquals(written, byA + byB, "each outbox row was delivered by one relay, once: " + byA + " + " + byB
                + "; rows retried after a failed attempt: " + rows.count("SELECT count(*) FROM task.outbox_event WHERE attempts > 1"));
        assertTrue(byA > 0 && byB > 0, "both relays worked: " + byA + " + " + byB);
        assertEquals(0, rows.count("SELECT count(*) FROM (SELECT source_event_id FROM notification.notification"
                + " WHERE source_event_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) twice"), "no notice of an event twice");
    }

    @Test
    @Order(3)
    void theTwoSchedulersNeverSendTheSameReminderTwice() {
        await("every deadline-day reminder is sent", () -> rows.count("SELECT count(*) FROM notification.planned_reminder"
                + " WHERE rule = 'DEADLINE_DAY' AND day = DATE '" + TODAY + "' AND status = 'SENT'") >= ITEMS
                && rows.count("SELECT count(*) FROM notification.planned_reminder WHERE day <= DATE '" + TODAY + "'"
                        + " AND status = 'PLANNED'") == 0);
        long sent = rows.count("SELECT count(*) FROM notification.planned_reminder WHERE status = 'SENT'");
        assertEquals(sent, rows.count("SELECT count(*) FROM notification.notification WHERE reminder_id IS NOT NULL"),
                "one notice per reminder sent");
        assertEquals(0, rows.count("SELECT count(*) FROM (SELECT p.item_id, p.unit_code, p.rule, p.step, p.day"
                + " FROM notification.notification n JOIN notification.planned_reminder p ON p.id = n.reminder_id"
                + " GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) twice"), "each (assignment, rule, step, day) once");
        assertEquals(0, rows.count("SELECT count(*) FROM notification.notification n WHERE reminder_id IS NOT NULL AND"
                + " NOT EXISTS (SELECT 1 FROM notification.planned_reminder p WHERE p.id = n.reminder_id AND p.status = 'SENT')"),
                "every reminder notice is of a reminder marked sent");

        // Deliveries: each notice's e-mail once per address, and the SMTP server received exactly those.
        await("the e-mail deliveries are done", () -> rows.count("SELECT count(*) FROM notification.delivery"
                + " WHERE channel = 'EMAIL' AND status = 'PENDING'") == 0
                && rows.count("SELECT count(*) FROM notification.delivery d JOIN notification.notification n"
                        + " ON n.id = d.notification_id WHERE d.channel = 'EMAIL' AND n.reminder_id IS NOT NULL") > 0);
        assertEquals(0, rows.count("SELECT count(*) FROM notification.delivery WHERE channel = 'EMAIL' AND status = 'FAILED'"),
                "no e-mail failed: " + rows.list("SELECT status || ' ' || coalesce(last_error, '')"
                        + " FROM notification.delivery WHERE status = 'FAILED' LIMIT 5"));
        assertEquals(0, rows.count("SELECT count(*) FROM (SELECT notification_id, channel, recipient FROM notification.delivery"
                + " GROUP BY 1, 2, 3 HAVING count(*) > 1) twice"), "each notice once per channel and address");
        long sentMail = rows.count("SELECT count(*) FROM notification.delivery WHERE channel = 'EMAIL' AND status = 'SENT'");
        await("the SMTP sink has every message", () -> smtp.messages() >= sentMail);
        assertEquals(sentMail, smtp.messages(), "the SMTP server received each e-mail once");
    }

    @Test
    @Order(4)
    void bulletinNumbersAreUniqueAndGapFreeAcrossBothReportServices() throws Exception {
        concurrently(BULLETINS, i -> Pipeline.jsonId(Api.of(REPORT.get(i % 2)).post(DevTokens.supervisor(), "/api/v1/bulletins",
                Map.of("period", "2026-11"), 201)));
        List<Integer> seqs = rows.list("SELECT seq FROM report.bulletin WHERE year = 2026 ORDER BY seq").stream()
                .map(Integer::valueOf).toList();
        assertEquals(IntStream.rangeClosed(1, BULLETINS).boxed().toList(), seqs,
                "bulletin numbers 1..n, each once, without gaps");
    }

    /** Runs n calls on a few threads at once; returns their results. */
    private static List<String> concurrently(int n, java.util.function.IntFunction<String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> call.apply(k)));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Conditions.await(what, LIMIT, condition, TwoInstancesTest::logs);
    }

    private static String logs() {
        return "notification-service a log:\n" + NOTIFICATION.get(0).logTail();
    }
}
