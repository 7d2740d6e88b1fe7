package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.bench.Bench;
import io.duban.postgres.PostgresServer;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness (bench/run.sh, issue 9) at tiny scale, so that it cannot rot: it starts the
 * packaged task-service on this module's bench database, seeds a dozen items through the API, and drives
 * every scenario for a moment. No timing is asserted (figures belong in bench/results.md): only that
 * every scenario of the table was sent requests and got the answers it expects, and that the start
 * and the RSS of the service were read.
 */
class BenchHarnessSmokeTest {

    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path BUILD_DIR = Path.of(System.getProperty("duban.build.dir", "target"));

    /** Every scenario the issue asks for, by its name in the table. */
    private static final List<String> SCENARIOS = List.of("live", "caller", "unit-pk", "poll-304", "poll-full",
            "poll-full-gzip", "poll-delta", "handler-page1", "handler-all", "handler-deep", "sup-default", "sup-unit",
            "sup-unit-deadline", "sup-status", "sup-status2", "sup-source", "sup-priority", "sup-window",
            "sup-overdue", "sup-red", "sup-yellow", "sup-sort-deadline", "sup-sort-deadline-desc",
            "sup-sort-number", "sup-sort-created", "sup-sort-updated-desc", "sup-q1", "sup-q2", "progress", "create");

    @Test
    void everyScenarioRunsAndAnswersAsExpected() throws Exception {
        TestDatabase database = TestDatabase.forModule("bench").prepare();
        PostgresServer server = TestDatabase.server();
        Bench.Options o = new Bench.Options();
        o.root = ROOT;
        o.database = database.name();
        o.pgHost = server.host();
        o.pgPort = server.port();
        o.pgUser = server.admin();
        o.services = List.of("task-service");
        // Nothing here reads a figure: the service starts as every system test's does.
        o.jvmOptions = ServiceProcess.JVM_OPTIONS;
        o.serviceEnv.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
        o.serviceEnv.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        o.seed = 12;
        o.deepPages = 1;
        o.threads = 2;
        o.warmup = 0.05;
        o.seconds = 0.2;
        o.fixedSeconds = 0.1;
        o.pgbenchClients = 2;
        o.results = null;
        o.work = BUILD_DIR.resolve("bench");

        Bench.Report report = Bench.run(o);

        for (String name : SCENARIOS) {
            Bench.Row row = report.row(name);
            assertNotNull(row, name + " is missing from the table:\n" + report.markdown());
            assertTrue(row.closed().requests() > 0, name + ": no request was answered");
            assertEquals(0, row.closed().errors(), name + " got unexpected answers: " + row.closed().statusMix());
            assertTrue(row.fixed() != null && row.fixed().requests() > 0, name + ": nothing at the fixed rate");
            assertTrue(report.markdown().contains("| " + name + " |"), name + " is not printed");
        }
        assertTrue(report.row("poll-full-gzip").closed().bytesPerRequest() < report.row("poll-full").closed().bytesPerRequest(),
                "a poll that accepts gzip gets fewer bytes on the wire");
        assertEquals(SCENARIOS.size(), report.rows().size(), "a scenario the test does not know: " + report.markdown());
        assertEquals(1, report.starts().size());
        assertTrue(report.starts().get(0).startMillis() > 0, "the start was timed");
        assertTrue(report.starts().get(0).rssMiB() > 0, "the RSS was read");
        assertTrue(report.starts().get(0).privateMiB() > 0 && report.starts().get(0).privateMiB() <= report.starts().get(0).rssMiB(),
                "the private part of the RSS was read, and is a part of it");
        if (report.pgbench() != null) {
            assertTrue(report.pgbench().tps() > 0, "pgbench ran the create's statements");
            // It wrote what the API writes: a lead and an assist assignment of known units on each item.
            try (Connection c = database.admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT count(*), count(*) FILTER (WHERE a.role NOT IN ('LEAD', 'ASSIST')
                                                        OR a.unit_code NOT IN (SELECT code FROM task.unit)),
                           count(DISTINCT a.role)
                      FROM task.assignment a JOIN task.supervision_item i ON i.id = a.item_id
                     WHERE i.created_by = 'pgbench'""")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0, "pgbench's items have assignments");
                assertEquals(0, rs.getLong(2), "pgbench wrote an assignment with a role or unit the API never writes");
                assertEquals(2, rs.getLong(3), "a lead and an assist");
            }
        }
    }
}
