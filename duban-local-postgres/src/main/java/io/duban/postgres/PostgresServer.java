package io.duban.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL server the suite uses, and where it came from. The administrator is a superuser that
 * logs in without a password (trust authentication), as on the development machines, CI and the
 * embedded server.
 *
 * @param source  how it was found
 * @param host    the address to connect to
 * @param port    the port
 * @param admin   the superuser
 * @param version the server's version ({@code SHOW server_version}), e.g. {@code 15.17}
 */
public record PostgresServer(Source source, String host, int port, String admin, String version) {

    /** Where a server came from, in the order they are preferred. */
    public enum Source {
        /** Named by environment variables: used as it is, never replaced. */
        CONFIGURED,
        /** Answering on the default address (127.0.0.1:5432 unless DUBAN_PG_PROBE_ADDRESS says otherwise). */
        MACHINE,
        /** Started from the binaries on the class path because neither of the others was there. */
        EMBEDDED
    }

    /** The JDBC URL of one database of this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A connection to one database as the administrator. */
    public Connection admin(String database) throws SQLException {
        return connect(host, port, admin, database);
    }

    /** A one-line description for logs, e.g. {@code embedded PostgreSQL 15.17 on 127.0.0.1:40123}. */
    public String describe() {
        String what = switch (source) {
            case CONFIGURED -> "the configured PostgreSQL";
            case MACHINE -> "the machine's PostgreSQL";
            case EMBEDDED -> "an embedded PostgreSQL";
        };
        return what + " " + version + " on " + host + ":" + port;
    }

    static Connection connect(String host, int port, String user, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", "");
        p.setProperty("connectTimeout", "5");
        p.setProperty("loginTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }
}
