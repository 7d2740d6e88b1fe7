package io.duban.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which server is used, in order: the configured one (never replaced), the one answering on the
 * default address, none (then an embedded one). A server of our own stands for "the machine's", and a
 * port nobody listens on for "no server there".
 */
class LocalPostgresTest {

    @TempDir
    static Path dir;

    private static EmbeddedServer server;
    private static int port;

    @BeforeAll
    static void startAServer() throws IOException {
        server = EmbeddedServer.start(new EmbeddedServer.Options(dir.resolve("data"), 0, false, true,
                dir.resolve("postgres.log")));
        port = server.server().port();
    }

    @AfterAll
    static void stopIt() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDefaultAddressIsTheMachinesPostgresAndTheProbeCanBeMovedOrTurnedOff() {
        assertEquals("127.0.0.1:5432", LocalPostgres.Settings.forTests(Map.of()).probeAddress());
        assertEquals("127.0.0.1:5432", LocalPostgres.Settings.forRun(Map.of()).probeAddress());
        assertEquals("10.0.0.1:6000", LocalPostgres.Settings.forRun(
                Map.of("DUBAN_PG_PROBE_ADDRESS", "10.0.0.1:6000")).probeAddress());
        assertNull(LocalPostgres.Settings.forTests(Map.of("DUBAN_PG_PROBE_ADDRESS", "none")).probeAddress());
        assertEquals("postgres", LocalPostgres.Settings.forTests(Map.of()).admin());
        assertEquals("pgadmin", LocalPostgres.Settings.forRun(Map.of("PGADMIN", "pgadmin")).admin());
        assertFalse(LocalPostgres.Settings.forTests(Map.of("PGHOST", "db")).configured(),
                "the tests read their own variables, not libpq's");
        assertTrue(LocalPostgres.Settings.forTests(Map.of("DUBAN_TEST_PG_PORT", "5433")).configured());
        assertTrue(LocalPostgres.Settings.forRun(Map.of("PGHOST", "db")).configured());
    }

    @Test
    void aServerAnsweringOnTheDefaultAddressIsUsed() {
        LocalPostgres.Choice choice = LocalPostgres.find(run(Map.of("DUBAN_PG_PROBE_ADDRESS", "127.0.0.1:" + port)));
        PostgresServer found = choice.server().orElseThrow();
        assertEquals(PostgresServer.Source.MACHINE, found.source());
        assertEquals(port, found.port());
        assertEquals(server.server().version(), found.version());
    }

    @Test
    void withNothingOnTheDefaultAddressThereIsNoServerAndTheReasonSaysSo() throws IOException {
        String address = "127.0.0.1:" + unusedPort();
        LocalPostgres.Choice choice = LocalPostgres.find(run(Map.of("DUBAN_PG_PROBE_ADDRESS", address)));
        assertTrue(choice.server().isEmpty());
        assertEquals(LocalPostgres.Reason.NO_ANSWER, choice.reason());
        assertEquals("nothing answers on " + address, choice.whyNone());

        LocalPostgres.Choice off = LocalPostgres.find(run(Map.of("DUBAN_PG_PROBE_ADDRESS", "none")));
        assertTrue(off.server().isEmpty());
        assertEquals(LocalPostgres.Reason.PROBE_OFF, off.reason());
    }

    @Test
    void aServerThatRefusesTheAdministratorIsNotUsed() {
        LocalPostgres.Choice choice = LocalPostgres.find(run(Map.of("DUBAN_PG_PROBE_ADDRESS", "127.0.0.1:" + port,
                "PGADMIN", "no_such_role")));
        assertTrue(choice.server().isEmpty());
        assertEquals(LocalPostgres.Reason.LOGIN_REFUSED, choice.reason());
        assertTrue(choice.detail().contains("no_such_role"), choice.detail());
    }

    @Test
    void aConfiguredServerComesFirstAndIsNeverReplaced() throws IOException {
        // Configured: used even though the default address has a server too.
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port),
                "DUBAN_PG_PROBE_ADDRESS", "127.0.0.1:" + port));
        assertEquals(PostgresServer.Source.CONFIGURED, LocalPostgres.find(run(env)).server().orElseThrow().source());

        // Configured but not there: an error, not another server.
        int unused = unusedPort();
        env.put("PGPORT", Integer.toString(unused));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalPostgres.find(run(env)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + unused), e.getMessage());

        Map<String, String> tests = Map.of("DUBAN_TEST_PG_PORT", Integer.toString(unused));
        assertThrows(IllegalStateException.class, () -> LocalPostgres.find(LocalPostgres.Settings.forTests(tests)));
    }

    @Test
    void aMalformedDefaultAddressIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> LocalPostgres.find(run(Map.of("DUBAN_PG_PROBE_ADDRESS", "5432"))));
        assertThrows(IllegalArgumentException.class,
                () -> LocalPostgres.find(run(Map.of("DUBAN_PG_PROBE_ADDRESS", "localhost:postgres"))));
    }

    private static LocalPostgres.Settings run(Map<String, String> env) {
        return LocalPostgres.Settings.forRun(env);
    }

    /** A loopback port nobody listens on (bound and released at once). */
    static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
