package io.duban.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@code Main serve} as the tests' keeper does, in a JVM of its own. */
final class Keepers {

    private Keepers() {
    }

    static Process serve(Path data, Path log, Path state, Long watchedPid, Path output) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--data", data.toString(), "--log", log.toString(), "--state", state.toString()));
        if (watchedPid != null) {
            cmd.add("--watch-pid");
            cmd.add(watchedPid.toString());
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** The state the keeper wrote, once it has. */
    static Map<String, String> awaitState(Process keeper, Path state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            Optional<Map<String, String>> values = StateFile.read(state);
            if (values.isPresent() && Long.toString(keeper.pid()).equals(values.get().get(StateFile.KEEPER_PID))) {
                return values.get();
            }
            if (!keeper.isAlive()) {
                throw new AssertionError("the keeper exited with " + keeper.exitValue());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the keeper wrote no state within 2 minutes");
    }

    /** Whether the process ends within the time. */
    static boolean ends(ProcessHandle p, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (p.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        return !p.isAlive();
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
