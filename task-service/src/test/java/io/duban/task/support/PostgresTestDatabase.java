package io.duban.task.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The tests' own database on the local PostgreSQL (never the demo database), prepared exactly as a
 * deployment prepares one: the shared db/init-roles.sql creates each service's role and schema.
 * Flyway then cleans and migrates the schema at start, so leftovers of earlier runs never matter.
 */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    static final String HOST = env("DUBAN_TEST_PG_HOST", "127.0.0.1");
    static final String PORT = env("DUBAN_TEST_PG_PORT", "5432");
    static final String ADMIN = env("DUBAN_TEST_PG_ADMIN", "postgres");
    static final String DATABASE = env("DUBAN_TEST_PG_DATABASE", "duban_test");

    @Override
    public Map<String, String> start() {
        try {
            try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                    if (!rs.next()) {
                        s.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
            String init = Files.readString(Path.of("..", "db", "init-roles.sql"), StandardCharsets.UTF_8);
            try (Connection c = admin(DATABASE); Statement s = c.createStatement()) {
                s.execute(init);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the test database on " + HOST + ":" + PORT
                    + " (is PostgreSQL running?)", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE + "?currentSchema=task",
                "quarkus.flyway.clean-at-start", "true",
                "quarkus.flyway.clean-disabled", "false");
    }

    @Override
    public void stop() {
    }

    static Connection admin(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, ADMIN, "");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
