package io.duban.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper that holds the tests' shared server: started once and reused, and it stops its server when
 * the process it watches ends or when it is told to stop, so no server outlives a build.
 */
class KeeperTest {

    @TempDir
    Path dir;

    @Test
    void theSharedServerIsStartedOnceAndReusedByLaterCallers() throws Exception {
        Path shared = dir.resolve("shared");
        PostgresServer first = SharedTestPostgres.get(shared);
        Map<String, String> state = StateFile.read(shared.resolve("server.state")).orElseThrow();
        ProcessHandle keeper = ProcessHandle.of(Long.parseLong(state.get(StateFile.KEEPER_PID))).orElseThrow();
        ProcessHandle postmaster = EmbeddedServer.postmaster(shared.resolve("data")).orElseThrow();
        try {
            assertEquals(PostgresServer.Source.EMBEDDED, first.source());
            assertNotEquals(ProcessHandle.current().pid(), keeper.pid());

            PostgresServer second = SharedTestPostgres.get(shared);
            assertEquals(first, second, "a second caller (the next module's JVM) gets the same server");
            assertEquals(state, StateFile.read(shared.resolve("server.state")).orElseThrow(), "no new keeper");
            try (Connection c = second.admin("postgres")) {
                assertTrue(c.isValid(2));
            }
        } finally {
            keeper.destroy();  // SIGTERM, as run-local.sh stops it
        }
        assertTrue(Keepers.ends(keeper, Duration.ofSeconds(40)), "the keeper stops when told to");
        assertFalse(postmaster.isAlive(), "and its server with it");
        assertFalse(Files.exists(shared.resolve("server.state")), "and it takes back what it announced");
    }

    @Test
    void theKeeperStopsItsServerWhenTheProcessItWatchesEnds() throws Exception {
        // A process that runs until we end it, standing for the Maven build.
        Process watched = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Sleeper.class.getName()).start();
        Path state = dir.resolve("state");
        Process keeper = Keepers.serve(dir.resolve("data"), dir.resolve("postgres.log"), state, watched.pid(),
                dir.resolve("keeper.log"));
        ProcessHandle postmaster = null;
        try {
            Keepers.awaitState(keeper, state);
            postmaster = EmbeddedServer.postmaster(dir.resolve("data")).orElseThrow();
            assertTrue(keeper.isAlive());

            watched.destroyForcibly().waitFor();
            assertTrue(Keepers.ends(keeper.toHandle(), Duration.ofSeconds(40)),
                    "the keeper ends when the watched process does; its output:\n" + Keepers.read(dir.resolve("keeper.log")));
            assertFalse(postmaster.isAlive(), "and stops its server");
            assertFalse(Files.exists(dir.resolve("data/postmaster.pid")), "cleanly");
            assertFalse(Files.exists(state));
        } finally {
            watched.destroyForcibly();
            keeper.destroyForcibly();
            if (postmaster != null) {
                postmaster.destroyForcibly();
            }
        }
    }

    /** Sleeps until it is killed. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Duration.ofMinutes(10).toMillis());
        }
    }
}
