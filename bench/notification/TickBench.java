import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * The reminder scheduler's tick when nothing is due, against a schedule of N planned reminders
 * (default 1,000,000): the database work of ReminderScheduler.tick() — the policy read, then in a
 * transaction of its own the claim query (FOR UPDATE SKIP LOCKED, partial index planned_reminder_due)
 * that finds nothing, and the commit — timed over many ticks after a warm-up.
 *
 *   java -cp postgresql.jar bench/notification/TickBench.java JDBC_URL [PLANNED] [TICKS]
 *
 * JDBC_URL names a database whose schema `notification` has notification-service's migrations (the
 * module's test database after a test run, or run-local's). It fills the schema with bench rows
 * (items whose unit code starts with BENCH_) the first time, and leaves them for the next run.
 */
public class TickBench {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int planned = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO notification");
            }
            fill(c, planned);
            LocalDate today = LocalDate.of(2026, 11, 17);
            long[] nanos = new long[ticks];
            for (int i = -200; i < ticks; i++) {
                long t0 = System.nanoTime();
                tick(c, today);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("planned reminders: %,d (none due on %s), ticks: %d%n", count(c), today, ticks);
            System.out.printf("tick ms: p50 %.3f  p95 %.3f  p99 %.3f  max %.3f%n", ms(nanos, 0.50), ms(nanos, 0.95),
                    ms(nanos, 0.99), nanos[ticks - 1] / 1e6);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) "
                    + "SELECT p.id FROM planned_reminder p JOIN reminder_assignment a ON a.item_id = p.item_id"
                    + " AND a.unit_code = p.unit_code WHERE p.status = 'PLANNED' AND p.day <= DATE '2026-11-17'"
                    + " ORDER BY p.day, p.id LIMIT 500")) {
                while (rs.next()) {
                    System.out.println("  " + rs.getString(1));
                }
            }
        }
    }

    /** What ReminderScheduler.tick() asks the database when nothing is due (same statements). */
    static void tick(Connection c, LocalDate today) throws Exception {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version, document::text, updated_at, updated_by FROM reminder_policy WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getString(2);
            }
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT p.id, p.rule, p.step, p.day, a.item_id, a.item_number,"
                + " a.title, a.priority, a.item_status, a.item_deadline, a.unit_code, a.role, a.status, a.deadline,"
                + " a.feedback_cycle, a.dispatched_at, a.accepted_at, a.last_progress_at, a.urge_count"
                + " FROM planned_reminder p JOIN reminder_assignment a ON a.item_id = p.item_id AND a.unit_code = p.unit_code"
                + " WHERE p.status = 'PLANNED' AND p.day <= ? ORDER BY p.day, p.id LIMIT ?"
                + " FOR UPDATE OF p SKIP LOCKED FOR SHARE OF a SKIP LOCKED")) {
            ps.setObject(1, today);
            ps.setInt(2, 500);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalStateException("a reminder is due on " + today + ": the bench needs none due");
                }
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** 100,000 assignments with 10 planned reminders each, all on working days of 2027. */
    static void fill(Connection c, int planned) throws Exception {
        if (count(c) >= planned) {
            return;
        }
        int assignments = planned / 10;
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO reminder_assignment (item_id, unit_code, item_number, title, priority, item_status,"
                    + " item_deadline, role, status, deadline, feedback_cycle, dispatched_at, urge_count, updated_at)"
                    + " SELECT md5('bench' || g)::uuid, 'BENCH_' || (g % 500), 'DB-2027-' || g, '基准测试事项 ' || g, 'NORMAL',"
                    + " 'ACTIVE', DATE '2027-06-30', 'LEAD', 'IN_PROGRESS', DATE '2027-06-30', 'NONE', now(), 0, now()"
                    + " FROM generate_series(1, " + assignments + ") g ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO planned_reminder (item_id, unit_code, rule, step, day, planned_at)"
                    + " SELECT md5('bench' || g)::uuid, 'BENCH_' || (g % 500), 'ESCALATION', k,"
                    + " DATE '2027-01-04' + (g % 150) + k * 7, now()"
                    + " FROM generate_series(1, " + assignments + ") g, generate_series(1, 10) k ON CONFLICT DO NOTHING");
            s.execute("ANALYZE reminder_assignment");
            s.execute("ANALYZE planned_reminder");
        }
    }

    static long count(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM planned_reminder WHERE status = 'PLANNED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
