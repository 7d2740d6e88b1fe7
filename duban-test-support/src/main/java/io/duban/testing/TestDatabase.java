package io.duban.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A test database of its own on the PostgreSQL the tests use (never a demo or production one),
 * prepared exactly as a deployment prepares one: db/init-roles.sql creates each service's roles and
 * schemas. The service's Flyway cleans and migrates its schema at start, so leftovers of earlier
 * runs never matter.
 *
 * <p>The server is {@code DUBAN_TEST_PG_HOST}:{@code DUBAN_TEST_PG_PORT} (default 127.0.0.1:5432),
 * reached as {@code DUBAN_TEST_PG_ADMIN} (default postgres, trust authentication); database names
 * start with {@code DUBAN_TEST_PG_DATABASE} (default duban_test), so that two checkouts testing on
 * one server at once can keep apart.
 */
public final class TestDatabase {

    public static final String HOST = env("DUBAN_TEST_PG_HOST", "127.0.0.1");
    public static final String PORT = env("DUBAN_TEST_PG_PORT", "5432");
    public static final String ADMIN = env("DUBAN_TEST_PG_ADMIN", "postgres");
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
        try {
            try (Connection c = admin("postgres");
                    PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
                        }
                    }
                }
            }
            try (Connection c = admin(name); Statement s = c.createStatement()) {
                s.execute(initRoles());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the test database " + name + " on " + HOST + ":" + PORT
                    + " (is PostgreSQL running?)", e);
        }
        return this;
    }

    /** The JDBC URL of one schema of this database. */
    public String jdbcUrl(String schema) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name + "?currentSchema=" + schema;
    }

    /** A connection as the server's administrator (superuser), for what a test must see behind the API. */
    public Connection admin() throws SQLException {
        return admin(name);
    }

    /** A connection as another role of this database (the init script gives each its name as password). */
    public Connection as(String role) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, role, role);
    }

    private static Connection admin(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, ADMIN, "");
    }

    private static String initRoles() {
        try (InputStream in = TestDatabase.class.getResourceAsStream("/duban/init-roles.sql")) {
            if (in == null) {
                throw new IllegalStateException("duban/init-roles.sql is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
