package io.duban.task.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.support.Fixture;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * V14's summary and board cells (and V16's open rows) are recounted once per item when a transaction commits (a deferred
 * constraint trigger on task.report_dirty), not after every statement. Whatever the statements and
 * however two writers of one item interleave, the cells after the commits are the cells recounted
 * from the views. The writers here are the runtime role's plain SQL, without the item lock that
 * task-service's commands take first: the recount's own lock is what keeps them apart.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class RollupAtCommitTest {

    private static final TestDatabase DB = TestDatabase.forModule("task-service");
    private static final String COUNTS = "held, received, completed, on_time, cancelled, handling_days, open_lead,"
            + " assist_received, assist_completed, open_assist, ext_asked, ext_approved, urges, declines";

    /** Summary cells, board cells and open rows that differ from a recount from the views (zero cells aside). */
    static long differing(Connection c) throws SQLException {
        String nonZero = "(" + COUNTS.replace(",", " <> 0 OR") + " <> 0)";
        String sql = "WITH fresh AS (SELECT g.grain, kind, unit_code, g.day, deadline, "
                + COUNTS.replaceAll("(\\w+)", "sum($1) AS $1")
                + " FROM task.report_part_source p CROSS JOIN LATERAL (VALUES ('D', p.day),"
                + " ('M', date_trunc('month', p.day)::date)) g (grain, day) GROUP BY 1, 2, 3, 4, 5),"
                + " kept AS (SELECT * FROM task.report_cell WHERE " + nonZero + "),"
                + " shown AS (SELECT * FROM fresh WHERE " + nonZero + "),"
                + " board_fresh AS (SELECT unit_code, status, deadline, feedback_cycle, report_on, sum(n) AS n"
                + "   FROM task.board_part_source GROUP BY 1, 2, 3, 4, 5),"
                + " board_kept AS (SELECT * FROM task.board_cell WHERE n <> 0)"
                + " SELECT (SELECT count(*) FROM shown s FULL JOIN kept k ON k.grain = s.grain AND k.kind = s.kind"
                + "   AND k.unit_code IS NOT DISTINCT FROM s.unit_code AND k.day = s.day AND k.deadline = s.deadline"
                + "  WHERE (" + COUNTS.replaceAll("(\\w+)", "s.$1") + ") IS DISTINCT FROM ("
                + COUNTS.replaceAll("(\\w+)", "k.$1") + "))"
                + " + (SELECT count(*) FROM board_fresh f FULL JOIN board_kept k ON k.unit_code = f.unit_code"
                + "   AND k.status = f.status AND k.deadline IS NOT DISTINCT FROM f.deadline"
                + "   AND k.feedback_cycle IS NOT DISTINCT FROM f.feedback_cycle"
                + "   AND k.report_on IS NOT DISTINCT FROM f.report_on WHERE f.n IS DISTINCT FROM k.n)";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) + openRowsDiffering(c);
        }
    }

    /** The lists' open rows (V16, kept at the same commits) that differ from the rows the views give now. */
    static long openRowsDiffering(Connection c) throws SQLException {
        String sql = "SELECT (SELECT count(*) FROM (TABLE task.open_row_source EXCEPT ALL TABLE task.open_row) d)"
                + " + (SELECT count(*) FROM (TABLE task.open_row EXCEPT ALL TABLE task.open_row_source) d)";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PreparedStatement bound(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = bound(c, sql, args); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = bound(c, sql, args)) {
            p.executeUpdate();
        }
    }

    /** A connection as the service's runtime role, in its schema (its triggers name task's tables unqualified). */
    private static Connection runtime() throws SQLException {
        Connection c = DriverManager.getConnection(DB.jdbcUrl("task"), "duban_task", "duban_task");
        c.setAutoCommit(false);
        return c;
    }

    /** The open-deadline cell of the item's lead assignment, by its deadline (0 when none). */
    private static long heldWithDeadline(Connection c, String unit, String deadlineSql) throws SQLException {
        return count(c, "SELECT coalesce(sum(held), 0) FROM task.report_cell WHERE grain = 'D' AND kind = 'H'"
                + " AND unit_code = ? AND deadline = " + deadlineSql, unit);
    }

    @Test
    void severalStatementsOnOneItemAreRecountedOnceAtCommit() throws SQLException {
        String lead = Fixture.unit("RC");
        UUID item = UUID.fromString(Fixture.dispatched(lead, List.of()));
        try (Connection admin = DB.admin(); Connection w = runtime()) {
            long before = heldWithDeadline(admin, lead, "current_date + 400");
            update(w, "UPDATE task.assignment SET deadline = current_date + 300 WHERE item_id = ?", item);
            update(w, "UPDATE task.assignment SET deadline = current_date + 400, last_progress_at = now() WHERE item_id = ?", item);
            update(w, "UPDATE task.supervision_item SET feedback_cycle = 'MONTHLY', version = version + 1 WHERE id = ?", item);
            update(w, "UPDATE task.supervision_item SET feedback_cycle = 'WEEKLY', version = version + 1 WHERE id = ?", item);
            // A title moves no figure, but the lists show it.
            update(w, "UPDATE task.supervision_item SET title = '改后的标题', version = version + 1 WHERE id = ?", item);
            // Five statements, one pending recount, nothing recounted yet.
            assertEquals(1, count(w, "SELECT count(*) FROM task.report_dirty d WHERE d.item_id = ?", item),
                    "the item is noted once however many statements touched it");
            assertEquals(before, heldWithDeadline(w, lead, "current_date + 400"), "no recount before the commit");
            w.commit();
            assertEquals(0, count(admin, "SELECT count(*) FROM task.report_dirty"), "the commit took the pending recounts");
            assertEquals(before + 1, heldWithDeadline(admin, lead, "current_date + 400"), "the last deadline is counted");
            assertEquals(1, count(admin, "SELECT count(*) FROM task.open_row WHERE item_id = ? AND title = '改后的标题'"
                    + " AND deadline = current_date + 400", item), "the open row shows the new title and deadline");
            assertEquals(0, differing(admin), "cells that differ from a recount after the commit");
        }
    }

    @Test
    void twoTransactionsOnOneItemLeaveTheCellsOfBothChanges() throws Exception {
        String lead = Fixture.unit("RD");
        String assist = Fixture.unit("RE");
        UUID item = UUID.fromString(Fixture.dispatched(lead, List.of(assist)));
        try (Connection admin = DB.admin(); Connection first = runtime(); Connection second = runtime()) {
            // Each changes another assignment of the item: no row of theirs in common.
            update(first, "UPDATE task.assignment SET deadline = current_date + 500 WHERE item_id = ? AND unit_code = ?",
                    item, lead);
            update(second, "UPDATE task.assignment SET deadline = current_date + 600 WHERE item_id = ? AND unit_code = ?",
                    item, assist);
            // The first recounts now (as at its commit) but does not commit yet.
            update(first, "SET CONSTRAINTS task.report_rollup_flush IMMEDIATE");
            int secondPid = (int) count(second, "SELECT pg_backend_pid()");
            CompletableFuture<Void> secondCommits = CompletableFuture.runAsync(() -> {
                try {
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // The second's recount waits for the first's lock on the item (polled until it does).
            while (count(admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'",
                    secondPid) == 0 && !secondCommits.isDone()) {
                Thread.onSpinWait();
            }
            assertEquals(false, secondCommits.isDone(), "the second recount waits for the first writer");
            first.commit();
            secondCommits.get(30, TimeUnit.SECONDS);
            assertEquals(1, heldWithDeadline(admin, lead, "current_date + 500"), "the first change is counted");
            assertEquals(1, heldWithDeadline(admin, assist, "current_date + 600"), "the second change is counted");
            assertEquals(0, differing(admin), "cells that differ from a recount after both commits");
        }
    }
}
