package io.duban.system.support;

import io.duban.postgres.Databases;
import io.duban.postgres.Directories;
import io.duban.postgres.EmbeddedServer;
import io.duban.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A PostgreSQL cluster of one test's own (duban-local-postgres's {@link EmbeddedServer}: zonky's
 * PostgreSQL 15 binaries, initdb and pg_ctl; as root it runs in a user namespace), on a free loopback
 * port, its data in the test's build directory, created fresh. It can be stopped (pg_ctl fast shutdown:
 * sessions are ended) and started again on the same port and data, which is what the fault test does
 * to it. Nothing of it touches any other PostgreSQL.
 */
public final class OwnPostgres implements AutoCloseable {

    private final EmbeddedServer.Options options;
    private EmbeddedServer server;
    private PostgresServer reached;

    private OwnPostgres(EmbeddedServer.Options options) {
        this.options = options;
    }

    /** A fresh cluster in {@code directory/data}, its log {@code directory/postgres.log}; started. */
    public static OwnPostgres startFresh(Path directory) {
        try {
            Path data = directory.resolve("data");
            Directories.deleteRecursively(data);
            Files.createDirectories(directory);
            OwnPostgres pg = new OwnPostgres(new EmbeddedServer.Options(data, ServiceProcess.freePort(), false, true,
                    directory.resolve("postgres.log")));
            pg.start();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it (again) on its port and data directory and waits until it takes connections. */
    public void start() {
        try {
            server = EmbeddedServer.start(options);
            reached = server.server();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test's own PostgreSQL on port " + options.port(), e);
        }
    }

    /** Fast shutdown: every session is ended, the server exits; waits for it. */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Creates a database prepared as a deployment prepares one (db/init-roles.sql). */
    public void prepare(String database) {
        try {
            Databases.prepare(reached, database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + database + " on " + reached.describe(), e);
        }
    }

    public String jdbcUrl(String database, String schema) {
        return reached.jdbcUrl(database) + "?currentSchema=" + schema;
    }

    public Connection admin(String database) throws SQLException {
        return reached.admin(database);
    }

    public int port() {
        return options.port();
    }

    @Override
    public void close() {
        stop();
    }
}
