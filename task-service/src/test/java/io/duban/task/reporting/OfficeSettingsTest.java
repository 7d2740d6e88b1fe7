package io.duban.task.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.ReportRole;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** reporting.office holds the service's configuration, written at start, in a form PostgreSQL reads as Java does. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class OfficeSettingsTest {

    @Inject
    OfficeSettings settings;

    @Test
    void theViewShowsTheConfiguredZoneAndYellowThreshold() {
        Map<String, Object> office = ReportRole.row("SELECT zone, yellow_working_days FROM reporting.office");
        assertEquals("Asia/Shanghai", office.get("zone"));
        assertEquals(3, office.get("yellow_working_days"));
    }

    @Test
    void theConfigurationWinsOverAValueChangedInTheDatabase() throws SQLException {
        try (Connection c = TestDatabase.forModule("task-service").admin(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE task.office_setting SET zone = 'Asia/Urumqi', yellow_working_days = 7");
            try {
                settings.publish();
                Map<String, Object> office = ReportRole.row("SELECT zone, yellow_working_days FROM reporting.office");
                assertEquals("Asia/Shanghai", office.get("zone"));
                assertEquals(3, office.get("yellow_working_days"));
            } finally {
                s.executeUpdate("UPDATE task.office_setting SET zone = 'Asia/Shanghai', yellow_working_days = 3");
            }
        }
    }

    @Test
    void theDatabaseRefusesAZoneItWouldReadDifferentlyAndKeepsItsOneRow() throws SQLException {
        try (Connection c = TestDatabase.forModule("task-service").admin(); Statement s = c.createStatement()) {
            for (String sql : new String[] { "UPDATE task.office_setting SET zone = '+08'",
                    "UPDATE task.office_setting SET zone = 'Mars/Olympus'", "DELETE FROM task.office_setting",
                    "INSERT INTO task.office_setting VALUES (false, 'UTC', 3, now())" }) {
                SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertTrue(e.getSQLState().equals("P0001") || e.getSQLState().equals("23514"), sql + ": " + e.getMessage());
            }
        }
        assertEquals(1L, ReportRole.row("SELECT count(*) AS n FROM reporting.office").get("n"));
    }

    @Test
    void zonesAreWrittenAsTzDatabaseNames() {
        assertEquals("Asia/Shanghai", OfficeSettings.postgresZone(ZoneId.of("Asia/Shanghai")));
        assertEquals("UTC", OfficeSettings.postgresZone(ZoneOffset.UTC));
        assertEquals("UTC", OfficeSettings.postgresZone(ZoneId.of("UTC")));
        // POSIX signs: Etc/GMT-8 is eight hours ahead of UTC.
        assertEquals("Etc/GMT-8", OfficeSettings.postgresZone(ZoneId.of("+08:00")));
        assertEquals("Etc/GMT-8", OfficeSettings.postgresZone(ZoneId.of("UTC+8")));
        assertEquals("Etc/GMT+5", OfficeSettings.postgresZone(ZoneOffset.ofHours(-5)));
        assertThrows(IllegalArgumentException.class, () -> OfficeSettings.postgresZone(ZoneId.of("+05:30")));
    }
}
