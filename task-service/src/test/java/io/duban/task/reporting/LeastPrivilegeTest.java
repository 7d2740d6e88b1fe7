package io.duban.task.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duban.task.support.Fixture;
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
import org.junit.jupiter.api.Test;

/**
 * The running service's role (duban_task) has the DML it needs and no more: whatever SQL its
 * connections send, a timeline entry cannot be changed or removed, and the schema cannot be altered.
 * Its migrations ran as the owner role (duban_task_owner).
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class LeastPrivilegeTest {

    private static final TestDatabase DB = TestDatabase.forModule("task-service");

    /** SQL the runtime role may not run: permission denied (42501), or "must be owner". */
    private static void refused(String sql) throws SQLException {
        try (Connection c = DB.as("duban_task"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
            assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
            c.rollback();
        }
    }

    @Test
    void theRuntimeRoleCannotChangeOrRemoveATimelineEntryByAnySql() throws SQLException {
        Fixture.dispatched(Fixture.unit("P"), List.of());
        for (String sql : List.of(
                "UPDATE task.timeline_entry SET note = 'x'",
                "DELETE FROM task.timeline_entry",
                "TRUNCATE task.timeline_entry",
                "ALTER TABLE task.timeline_entry DISABLE TRIGGER timeline_append_only",
                "ALTER TABLE task.timeline_entry DISABLE TRIGGER ALL",
                "DROP TRIGGER timeline_append_only ON task.timeline_entry",
                "DROP TABLE task.timeline_entry CASCADE",
                "ALTER TABLE task.timeline_entry RENAME TO old_timeline",
                "SET session_replication_role = replica",
                "CREATE OR REPLACE FUNCTION task.timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql"
                        + " AS $$ BEGIN RETURN OLD; END $$",
                "CREATE TABLE task.intruder (id int)",
                // Granting itself more only draws a warning; the update after it is still refused.
                "GRANT UPDATE ON task.timeline_entry TO duban_task; UPDATE task.timeline_entry SET note = 'x'",
                "INSERT INTO task.working_day SELECT * FROM task.working_day LIMIT 1")) {
            refused(sql);
        }
    }

    /** The summary's rollup (V14) and the lists' open rows (V16) are written by the owner's trigger functions only. */
    @Test
    void theRuntimeRoleCannotWriteTheSummaryRollup() throws SQLException {
        for (String sql : List.of(
                "DELETE FROM task.report_dirty",
                "INSERT INTO task.report_dirty (item_id) VALUES (gen_random_uuid())",
                "UPDATE task.report_cell SET held = held + 1",
                "DELETE FROM task.report_part",
                "UPDATE task.board_cell SET n = n + 1",
                "DELETE FROM task.board_part",
                "DELETE FROM task.open_row",
                "UPDATE task.open_row SET urges = 0")) {
            refused(sql);
        }
    }

    @Test
    void theRuntimeRoleWorksWithItsData() throws SQLException {
        try (Connection c = DB.as("duban_task"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("SELECT count(*) > 0 FROM task.timeline_entry")) {
                rs.next();
            }
            s.executeUpdate("UPDATE task.unit SET phone = phone WHERE false");
            c.rollback();
        }
    }

    @Test
    void theMigrationsRanAsTheOwner() throws SQLException {
        try (Connection c = DB.admin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'task'"
                        + " UNION SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname IN ('task', 'reporting')")) {
            List<String> owners = new java.util.ArrayList<>();
            while (rs.next()) {
                owners.add(rs.getString(1));
            }
            assertEquals(List.of("duban_task_owner"), owners);
        }
    }
}
