package io.duban.postgres;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * Which PostgreSQL to use, for run-local.sh and for the tests alike: a configured server (environment
 * variables) if there is one; else the one answering on the default address, 127.0.0.1:5432, as a
 * superuser {@code postgres} with trust authentication; else none, and the caller starts an embedded
 * one ({@link EmbeddedServer}, or {@link SharedTestPostgres} for the tests).
 *
 * <p>{@code DUBAN_PG_PROBE_ADDRESS} changes the default address ({@code host:port}), or turns the probe
 * off ({@code none}): that is how a test shows the embedded path on a machine that has a server.
 */
public final class LocalPostgres {

    public static final String PROBE_ADDRESS_ENV = "DUBAN_PG_PROBE_ADDRESS";
    public static final String DEFAULT_PROBE_ADDRESS = "127.0.0.1:5432";

    private LocalPostgres() {
    }

    /**
     * Where to look, read from the environment.
     *
     * @param hostVariable  the variable naming a configured server's host
     * @param portVariable  the variable naming a configured server's port
     * @param adminVariable the variable naming the superuser (default {@code postgres})
     * @param configuredHost the configured host, or null
     * @param configuredPort the configured port, or null
     * @param admin         the superuser
     * @param probeAddress  the default address ({@code host:port}), or null for none
     */
    public record Settings(String hostVariable, String portVariable, String adminVariable, String configuredHost,
            String configuredPort, String admin, String probeAddress) {

        /** The tests: DUBAN_TEST_PG_HOST, DUBAN_TEST_PG_PORT, DUBAN_TEST_PG_ADMIN. */
        public static Settings forTests(Map<String, String> env) {
            return of(env, "DUBAN_TEST_PG_HOST", "DUBAN_TEST_PG_PORT", "DUBAN_TEST_PG_ADMIN");
        }

        /** run-local.sh: PGHOST, PGPORT (libpq's own variables) and PGADMIN. */
        public static Settings forRun(Map<String, String> env) {
            return of(env, "PGHOST", "PGPORT", "PGADMIN");
        }

        static Settings of(Map<String, String> env, String hostVariable, String portVariable, String adminVariable) {
            String probe = value(env, PROBE_ADDRESS_ENV);
            if (probe == null) {
                probe = DEFAULT_PROBE_ADDRESS;
            } else if (probe.equalsIgnoreCase("none")) {
                probe = null;
            }
            String admin = value(env, adminVariable);
            return new Settings(hostVariable, portVariable, adminVariable, value(env, hostVariable),
                    value(env, portVariable), admin == null ? "postgres" : admin, probe);
        }

        public boolean configured() {
            return configuredHost != null || configuredPort != null;
        }

        private static String value(Map<String, String> env, String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    /** Why there is no server to use. */
    public enum Reason {
        /** DUBAN_PG_PROBE_ADDRESS=none. */
        PROBE_OFF,
        /** Nothing accepts connections on the default address. */
        NO_ANSWER,
        /** A server answers there, but does not let the administrator in without a password. */
        LOGIN_REFUSED
    }

    /**
     * The outcome: a server to use, or why there is none (then the caller embeds one).
     *
     * @param server  the server, if one is there
     * @param reason  why there is none, or null
     * @param address the default address that was probed, or null
     * @param detail  the server's answer when it refused the login, or null
     */
    public record Choice(Optional<PostgresServer> server, Reason reason, String address, String detail) {

        static Choice of(PostgresServer server) {
            return new Choice(Optional.of(server), null, null, null);
        }

        /** Why no server is used, in English (for the test logs). */
        public String whyNone() {
            return switch (reason) {
                case PROBE_OFF -> PROBE_ADDRESS_ENV + "=none";
                case NO_ANSWER -> "nothing answers on " + address;
                case LOGIN_REFUSED -> "the PostgreSQL on " + address + " refuses a password-less login (" + detail + ")";
            };
        }
    }

    /**
     * Finds the server to use.
     *
     * @throws IllegalStateException when a configured server does not let the administrator in: a
     *         configured server is never replaced by another one
     */
    public static Choice find(Settings settings) {
        if (settings.configured()) {
            String host = settings.configuredHost() == null ? "127.0.0.1" : settings.configuredHost();
            int port = port(settings.configuredPort() == null ? "5432" : settings.configuredPort(),
                    settings.portVariable());
            try {
                return Choice.of(login(PostgresServer.Source.CONFIGURED, host, port, settings.admin()));
            } catch (SQLException e) {
                throw new IllegalStateException("the configured PostgreSQL " + host + ":" + port + " ("
                        + settings.hostVariable() + "/" + settings.portVariable() + ") does not let "
                        + settings.admin() + " in without a password: " + e.getMessage(), e);
            }
        }
        if (settings.probeAddress() == null) {
            return new Choice(Optional.empty(), Reason.PROBE_OFF, null, null);
        }
        int colon = settings.probeAddress().lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(PROBE_ADDRESS_ENV + " must be host:port or none, not "
                    + settings.probeAddress());
        }
        String host = settings.probeAddress().substring(0, colon);
        int port = port(settings.probeAddress().substring(colon + 1), PROBE_ADDRESS_ENV);
        if (!answers(host, port)) {
            return new Choice(Optional.empty(), Reason.NO_ANSWER, settings.probeAddress(), null);
        }
        try {
            return Choice.of(login(PostgresServer.Source.MACHINE, host, port, settings.admin()));
        } catch (SQLException e) {
            return new Choice(Optional.empty(), Reason.LOGIN_REFUSED, settings.probeAddress(), e.getMessage());
        }
    }

    /** Whether something accepts TCP connections there (a refused connection answers at once). */
    static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static PostgresServer login(PostgresServer.Source source, String host, int port, String admin)
            throws SQLException {
        try (Connection c = PostgresServer.connect(host, port, admin, "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return new PostgresServer(source, host, port, admin, rs.getString(1).split(" ")[0]);
        }
    }

    private static int port(String value, String variable) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " is not a port: " + value);
    }
}
