package io.duban.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server on real binaries: a Duban database on it, its data across a restart, its leftovers. */
class EmbeddedServerTest {

    @TempDir
    Path dir;

    @Test
    void holdsADubanDatabaseWhoseDataSurvivesARestart() throws Exception {
        Path data = dir.resolve("pgdata");
        long postmasterPid;
        try (EmbeddedServer server = EmbeddedServer.start(options(data, true, false))) {
            PostgresServer pg = server.server();
            assertEquals(PostgresServer.Source.EMBEDDED, pg.source());
            assertEquals(EmbeddedServer.binariesVersion().split("\\.")[0], pg.version().split("\\.")[0],
                    "the server is the major version of the binaries the pom names");
            // Modules (or builds) preparing databases of their own at once, on a server with no roles yet:
            // the roles are the server's, and each is created once.
            List<String> names = List.of("duban", "duban_b", "duban_c", "duban_d");
            CyclicBarrier together = new CyclicBarrier(names.size());
            ExecutorService pool = Executors.newFixedThreadPool(names.size());
            try {
                List<Future<?>> preparing = new ArrayList<>();
                for (String name : names) {
                    preparing.add(pool.submit(() -> {
                        together.await();
                        Databases.prepare(pg, name);
                        return null;
                    }));
                }
                for (Future<?> f : preparing) {
                    f.get(); // a failed preparation throws here
                }
            } finally {
                pool.shutdownNow();
            }
            Databases.prepare(pg, "duban");  // idempotent, as a deployment's init script is

            // Each service's owner role creates its tables in its schema, as its migrations do, and the
            // service's runtime role works with the rows, as the service does.
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("duban") + "?currentSchema=task",
                    "duban_task_owner", "duban_task_owner"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE note (text text)");
            }
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("duban") + "?currentSchema=task", "duban_task",
                    "duban_task"); Statement s = c.createStatement()) {
                s.execute("INSERT INTO note VALUES ('督办事项')");
            }
            try (Connection c = pg.admin("duban"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace "
                            + "WHERE nspname IN ('task', 'notification', 'report') ORDER BY nspname")) {
                assertEquals(List.of("notification=duban_notification_owner", "report=duban_report_owner",
                        "task=duban_task_owner"),
                        rows(rs));
            }
            try (Connection c = pg.admin("duban"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW fsync")) {
                rs.next();
                assertEquals("on", rs.getString(1), "the demo data is flushed to disk");
            }
            postmasterPid = EmbeddedServer.postmaster(data).orElseThrow().pid();
        }
        assertFalse(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false),
                "closing stops the server");
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "a clean shutdown");

        try (EmbeddedServer again = EmbeddedServer.start(options(data, true, false));
                Connection c = again.server().admin("duban"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT text FROM task.note")) {
            assertEquals(List.of("督办事项"), rows(rs), "the data is still there after a restart");
        }
    }

    @Test
    void stopsTheServerThatADeadOwnerLeftRunning() throws Exception {
        Path data = dir.resolve("pgdata");
        Path state = dir.resolve("state");
        // A keeper that dies without stopping its server (kill -9): the server goes on.
        Process keeper = Keepers.serve(data, dir.resolve("postgres.log"), state, null, dir.resolve("keeper.log"));
        Keepers.awaitState(keeper, state);
        ProcessHandle orphan = EmbeddedServer.postmaster(data).orElseThrow();
        try {
            keeper.destroyForcibly().waitFor();
            assertTrue(orphan.isAlive(), "killing the keeper leaves its server running");

            try (EmbeddedServer server = EmbeddedServer.start(options(data, false, true))) {
                assertTrue(Keepers.ends(orphan, Duration.ZERO), "the left-over server was stopped");
                ProcessHandle now = EmbeddedServer.postmaster(data).orElseThrow();
                assertNotEquals(orphan.pid(), now.pid());
                try (Connection c = server.server().admin("postgres")) {
                    assertTrue(c.isValid(2));
                }
            }
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void refusesDataOfAnotherMajorVersionUnlessItIsDisposable() throws Exception {
        Path data = dir.resolve("pgdata");
        Files.createDirectories(data);
        Files.writeString(data.resolve("PG_VERSION"), "9\n");
        Files.writeString(data.resolve("somebody's-data"), "x");

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> EmbeddedServer.start(options(data, true, false)).close());
        assertTrue(refused.getMessage().contains("PostgreSQL 9 data"), refused.getMessage());
        assertTrue(Files.exists(data.resolve("somebody's-data")), "nothing was deleted");

        try (EmbeddedServer server = EmbeddedServer.start(options(data, false, true))) {
            assertFalse(Files.exists(data.resolve("somebody's-data")), "disposable data was replaced");
            assertEquals(Optional.of(EmbeddedServer.binariesVersion().split("\\.")[0]),
                    Optional.of(Files.readString(data.resolve("PG_VERSION")).trim()));
        }
    }

    private EmbeddedServer.Options options(Path data, boolean durable, boolean discard) {
        return new EmbeddedServer.Options(data, 0, durable, discard, dir.resolve("postgres.log"));
    }

    static List<String> rows(ResultSet rs) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder row = new StringBuilder(rs.getString(1));
            for (int i = 2; i <= columns; i++) {
                row.append('=').append(rs.getString(i));
            }
            rows.add(row.toString());
        }
        return rows;
    }
}
