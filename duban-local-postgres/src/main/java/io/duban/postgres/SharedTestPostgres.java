package io.duban.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded PostgreSQL that one test run shares when the machine has none. Maven runs each module's
 * tests in a JVM of its own, one after the other; the first that needs a server starts a small keeper
 * process ({@code Main serve}) that starts the server and writes where it is to
 * {@code DIR/server.state}; the next ones find it there and use it. The keeper stops the server when
 * the Maven build that ran the tests ends (it watches that process; without Maven, the test JVM), so
 * no server outlives the build. The data stays in {@code DIR/data} for the next run; Flyway cleans
 * each schema at the start of the tests anyway.
 *
 * <p>{@code DIR} is the {@code duban-tests.embedded-postgres.dir} system property, which the root pom sets to
 * {@code target/embedded-postgres} of the root project.
 */
public final class SharedTestPostgres {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private SharedTestPostgres() {
    }

    /** The shared server, started now if it is not running yet. */
    public static PostgresServer get(Path directory) {
        try {
            Files.createDirectories(directory);
            Path state = directory.resolve("server.state");
            try (FileChannel channel = FileChannel.open(directory.resolve("start.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                Optional<PostgresServer> running = running(state);
                if (running.isPresent()) {
                    return running.get();
                }
                Files.deleteIfExists(state);
                Process keeper = startKeeper(directory, state, watchedProcess());
                return await(keeper, state, directory.resolve("keeper.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the tests' embedded PostgreSQL in " + directory, e);
        }
    }

    /** The server a live keeper announced, if it still lets us in. */
    static Optional<PostgresServer> running(Path state) throws IOException {
        Optional<Map<String, String>> values = StateFile.read(state);
        if (values.isEmpty() || values.get().get(StateFile.KEEPER_PID) == null) {
            return Optional.empty();
        }
        long pid = Long.parseLong(values.get().get(StateFile.KEEPER_PID));
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return Optional.empty();
        }
        PostgresServer server = StateFile.server(values.get());
        try {
            return Optional.of(LocalPostgres.login(server.source(), server.host(), server.port(), server.admin()));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The process whose end ends the server: the Maven JVM above this test JVM (surefire forks the test
     * JVM through a shell), else this JVM.
     */
    static long watchedProcess() {
        for (Optional<ProcessHandle> p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
            ProcessHandle.Info info = p.get().info();
            String commandLine = info.commandLine().orElse("") + " " + String.join(" ", info.arguments().orElse(new String[0]));
            if (commandLine.contains("org.codehaus.plexus.classworlds.launcher.Launcher")) {
                return p.get().pid();
            }
        }
        return ProcessHandle.current().pid();
    }

    private static Process startKeeper(Path directory, Path state, long watchedPid) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                // A small JVM: it only waits, and stops the server at the end.
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve",
                "--data", directory.resolve("data").toString(),
                "--log", directory.resolve("postgres.log").toString(),
                "--state", state.toString(),
                "--watch-pid", Long.toString(watchedPid)));
        // The class path of a Quarkus test is long: an argument file keeps the command line short.
        Path argFile = directory.resolve("keeper.args");
        StringBuilder text = new StringBuilder();
        for (String a : args) {
            text.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        Files.writeString(argFile, text, StandardCharsets.UTF_8);
        Path log = directory.resolve("keeper.log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static PostgresServer await(Process keeper, Path state, Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<Map<String, String>> values = StateFile.read(state);
            if (values.isPresent() && Long.toString(keeper.pid()).equals(values.get().get(StateFile.KEEPER_PID))) {
                return StateFile.server(values.get());
            }
            if (!keeper.isAlive()) {
                throw new IllegalStateException("the embedded PostgreSQL keeper exited with " + keeper.exitValue()
                        + "; the end of " + log + ":\n" + tail(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                keeper.destroy();
                throw new IllegalStateException("interrupted while starting the embedded PostgreSQL", e);
            }
        }
        keeper.destroy();
        throw new IllegalStateException("the embedded PostgreSQL did not start within " + START_TIMEOUT.toSeconds()
                + " s; the end of " + log + ":\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }
}
