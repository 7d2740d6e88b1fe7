package io.duban.system.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The system tests' own database on the local PostgreSQL (never the demo database nor the services'
 * test database), prepared as a deployment prepares one: db/init-roles.sql creates each service's
 * role and schema. The service's Flyway cleans and migrates its schema at start, so leftovers of
 * earlier runs never matter.
 */
public final class SystemTestDatabase {

    public static final String HOST = env("DUBAN_TEST_PG_HOST", "127.0.0.1");
    public static final String PORT = env("DUBAN_TEST_PG_PORT", "5432");
    public static final String ADMIN = env("DUBAN_TEST_PG_ADMIN", "postgres");
    public static final String DATABASE = env("DUBAN_SYSTEM_TEST_PG_DATABASE", "duban_system_test");

    private SystemTestDatabase() {
    }

    /** Creates the database if it is missing and runs the shared role and schema script. */
    public static void prepare(Path repositoryRoot) {
        try {
            try (Connection c = admin("postgres");
                    PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE \"" + DATABASE.replace("\"", "\"\"") + "\"");
                        }
                    }
                }
            }
            String init = Files.readString(repositoryRoot.resolve("db").resolve("init-roles.sql"), StandardCharsets.UTF_8);
            try (Connection c = admin(DATABASE); Statement s = c.createStatement()) {
                s.execute(init);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot prepare the system test database " + DATABASE + " on " + HOST + ":"
                    + PORT + " (is PostgreSQL running?)", e);
        }
    }

    /** The JDBC URL the service uses: the task schema of the system tests' database. */
    public static String taskJdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE + "?currentSchema=task";
    }

    private static Connection admin(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, ADMIN, "");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
