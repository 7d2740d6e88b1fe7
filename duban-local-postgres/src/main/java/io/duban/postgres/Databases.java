package io.duban.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A Duban database prepared as a deployment prepares one, over JDBC (no psql needed). */
public final class Databases {

    private Databases() {
    }

    /**
     * The advisory lock, taken in the {@code postgres} database, that keeps two preparations apart: the
     * roles are the server's, not a database's, so two builds or modules preparing their own databases at
     * once would both find a role missing and both create it (a duplicate key error).
     */
    private static final long PREPARE_LOCK = 0x6475_6261_6e00_0001L;

    /**
     * Creates the database if it is missing and runs db/init-roles.sql in it (idempotent): one role and
     * one schema per service. Preparations on one server run one at a time.
     */
    public static void prepare(PostgresServer server, String database) throws SQLException {
        try (Connection c = server.admin("postgres")) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, PREPARE_LOCK);
                lock.execute();
            }
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                        }
                    }
                }
            }
            try (Connection d = server.admin(database); Statement s = d.createStatement()) {
                s.execute(initRoles());
            }
            // Closing the connection releases the lock.
        }
    }

    /** db/init-roles.sql, as this module's jar carries it. */
    public static String initRoles() {
        try (InputStream in = Databases.class.getResourceAsStream("/duban/init-roles.sql")) {
            if (in == null) {
                throw new IllegalStateException("duban/init-roles.sql is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
