package io.duban.task.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.ReportRole;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * report-service's role, duban_report, reads the reporting views, every one of them, and nothing
 * else of task-service: not a task table, not a task function, and it cannot write through a view.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ReportRoleAccessTest {

    /** The contract's views, as task-service/README.md lists them. */
    static final Set<String> VIEWS = Set.of("office", "working_day", "units", "items", "assignments",
            "progress_reports", "extension_requests", "urges", "timeline_counts", "summary_cells", "board_cells",
            "open_assignments");

    /** Tables of schema task that matter most: items and their history, the calendar, the settings. */
    static final List<String> TASK_TABLES = List.of("supervision_item", "assignment", "extension_request",
            "progress_report", "timeline_entry", "unit", "calendar_day", "working_day", "office_setting", "report_cell",
            "report_part", "board_cell", "board_part", "report_dirty", "open_row");

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** "cannot insert into view": a view over a join or a GROUP BY is not updatable at all. */
    private static final String VIEW_NOT_UPDATABLE = "55000";

    @Test
    void theReportingSchemaHoldsExactlyTheDocumentedViews() throws SQLException {
        Set<String> found = new TreeSet<>();
        try (Connection c = TestDatabase.forModule("task-service").admin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT c.relname, c.relkind FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting'")) {
            while (rs.next()) {
                assertEquals("v", rs.getString(2), "reporting holds views only: " + rs.getString(1));
                found.add(rs.getString(1));
            }
        }
        assertEquals(new TreeSet<>(VIEWS), found);
    }

    @Test
    void reportRoleReadsEveryView() throws SQLException {
        try (Connection c = ReportRole.connect(); Statement s = c.createStatement()) {
            for (String view : VIEWS) {
                s.executeQuery("SELECT * FROM reporting." + view + " LIMIT 1").close();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM reporting.office")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the office settings are one row");
            }
        }
    }

    @Test
    void reportRoleCannotReadNorWriteTaskTables() throws SQLException {
        try (Connection c = ReportRole.connect()) {
            for (String table : TASK_TABLES) {
                String t = "task." + table;
                for (String sql : List.of("SELECT * FROM " + t + " LIMIT 1", "INSERT INTO " + t + " DEFAULT VALUES",
                        "UPDATE " + t + " SET ctid = ctid", "DELETE FROM " + t, "TRUNCATE " + t)) {
                    assertRefused(c, sql, Set.of(INSUFFICIENT_PRIVILEGE));
                }
            }
            assertRefused(c, "SELECT task.refresh_working_day()", Set.of(INSUFFICIENT_PRIVILEGE));
            assertRefused(c, "CREATE VIEW reporting.mine AS SELECT 1", Set.of(INSUFFICIENT_PRIVILEGE));
        }
    }

    @Test
    void reportRoleCannotWriteThroughTheViews() throws SQLException {
        try (Connection c = ReportRole.connect()) {
            for (String view : VIEWS) {
                String v = "reporting." + view;
                String column = firstColumn(c, v);
                for (String sql : List.of("INSERT INTO " + v + " DEFAULT VALUES",
                        "UPDATE " + v + " SET " + column + " = " + column, "DELETE FROM " + v)) {
                    assertRefused(c, sql, Set.of(INSUFFICIENT_PRIVILEGE, VIEW_NOT_UPDATABLE));
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT has_table_privilege('"
                        + v + "', 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')")) {
                    rs.next();
                    assertFalse(rs.getBoolean(1), v + ": SELECT is the only privilege");
                }
            }
        }
    }

    @Test
    void aViewAddedByALaterMigrationIsReadableWithoutAGrantOfItsOwn() throws SQLException {
        try (Connection c = TestDatabase.forModule("task-service").admin(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("SET LOCAL ROLE duban_task_owner");
                s.execute("CREATE VIEW reporting.later_probe AS SELECT 1 AS one");
                s.execute("SET LOCAL ROLE duban_report");
                try (ResultSet rs = s.executeQuery("SELECT one FROM reporting.later_probe")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                }
            } finally {
                c.rollback();
            }
        }
    }

    private static String firstColumn(Connection c, String view) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + view + " LIMIT 0")) {
            return rs.getMetaData().getColumnName(1);
        }
    }

    private static void assertRefused(Connection c, String sql, Set<String> states) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }, sql);
        assertTrue(states.contains(e.getSQLState()), sql + ": " + e.getSQLState() + " " + e.getMessage());
    }
}
