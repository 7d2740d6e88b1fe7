package io.duban.notification.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.notification.support.CalendarSourceResource;
import io.duban.notification.support.Db;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's "100,000 due reminders reach the inbox at 2,000 or more a second", measured: N
 * assignments (default 100,000; -Dduban.bench.due=N) each with one reminder due today (DEADLINE_DAY,
 * Tuesday 1 December 2026, 10:00), then the scheduler ticks until all are notices in the inbox (with
 * their e-mail deliveries queued, as in production). Prints the rate and the service's CPU time per
 * 1,000 reminders. Not a test (surefire runs *Test): run it by name, see bench/notification/README.md.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CalendarSourceResource.class, scope = TestResourceScope.GLOBAL)
class DueRemindersBench {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    @Inject
    SettableClock clock;
    @Inject
    ReminderScheduler scheduler;

    @AfterEach
    void cleanUp() throws SQLException {
        clock.reset();
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM delivery WHERE unit_code LIKE 'SPEEDB_%'");
            s.execute("DELETE FROM notification WHERE unit_code LIKE 'SPEEDB_%'");
            s.execute("DELETE FROM planned_reminder WHERE unit_code LIKE 'SPEEDB_%'");
            s.execute("DELETE FROM reminder_assignment WHERE unit_code LIKE 'SPEEDB_%'");
        }
    }

    @Test
    void dueRemindersReachTheInbox() throws Exception {
        int n = Integer.getInteger("duban.bench.due", 100_000);
        cleanUp();
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO reminder_assignment (item_id, unit_code, item_number, title, priority, item_status,"
                    + " item_deadline, role, status, deadline, feedback_cycle, dispatched_at, accepted_at, urge_count, updated_at)"
                    + " SELECT md5('speed' || g)::uuid, 'SPEEDB_' || (g % 500), 'DB-2026-' || g, '提醒吞吐量测试事项 ' || g,"
                    + " 'NORMAL', 'ACTIVE', DATE '" + DAY + "', 'LEAD', 'IN_PROGRESS', DATE '" + DAY + "', 'NONE',"
                    + " now(), now(), 0, now() FROM generate_series(1, " + n + ") g");
            s.execute("INSERT INTO planned_reminder (item_id, unit_code, rule, step, day, planned_at)"
                    + " SELECT md5('speed' || g)::uuid, 'SPEEDB_' || (g % 500), 'DEADLINE_DAY', 0, DATE '" + DAY + "', now()"
                    + " FROM generate_series(1, " + n + ") g");
            s.execute("ANALYZE reminder_assignment");
            s.execute("ANALYZE planned_reminder");
        }
        clock.pin(DAY.atTime(10, 0));
        int left = count("SELECT count(*) FROM planned_reminder WHERE unit_code LIKE 'SPEEDB_%' AND status = 'PLANNED'");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        int sent = 0;
        int ticks = 0;
        while (sent < left) {
            ReminderScheduler.Tick t = scheduler.tick();
            ticks++;
            sent += t.sent();
            if (t.sent() + t.expired() == 0) {
                break;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        assertEquals(n, count("SELECT count(*) FROM notification WHERE unit_code LIKE 'SPEEDB_%'"));
        assertEquals(0, count("SELECT count(*) FROM planned_reminder WHERE unit_code LIKE 'SPEEDB_%' AND status <> 'SENT'"));
        System.out.printf("DUE-REMINDERS: %,d due, %,d timed in %d tick(s): %.2f s, %,.0f reminders/s;"
                + " service CPU %.2f s (%.0f ms per 1,000); load %s%n", n, sent, ticks, seconds, sent / seconds, cpu,
                cpu * 1e6 / sent, loadAverage());
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static int count(String sql) throws SQLException {
        try (Connection c = Db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
