package io.duban.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;

/**
 * The packaged task-service ({@code task-service/target/quarkus-app/quarkus-run.jar}) as a separate
 * JVM in the prod profile, on a free loopback port, against the system tests' database, trusting the
 * dev public key. Its output goes to a log file whose tail is shown when it does not come up.
 */
public final class TaskServiceProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TaskServiceProcess.class.getName());
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 80;

    private final Process process;
    private final Path log;
    private final int port;
    /** Stops the service if the test JVM ends without {@link #close()}, so no server outlives the build. */
    private final Thread stopOnExit;

    private TaskServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.stopOnExit = new Thread(process::destroyForcibly, "stop-task-service");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts the packaged service and waits until it answers ready. */
    public static TaskServiceProcess start(Path repositoryRoot, TestDatabase database, Path logDirectory) {
        Path jar = repositoryRoot.resolve("task-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package task-service first "
                    + "(./mvnw -B verify -pl task-service,system-tests)");
        }
        Path publicKey = repositoryRoot.resolve("dev/jwt/publicKey.pem").toAbsolutePath().normalize();
        int port = freePort();
        Path log = logDirectory.resolve("task-service.log");
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-Xmx160m", "-XX:+UseSerialGC", "-jar",
                jar.toAbsolutePath().toString())
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.remove("QUARKUS_PROFILE");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl("task"));
        env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("DUBAN_JWT_PUBLIC_KEY_LOCATION", publicKey.toString());
        env.put("DUBAN_JWT_ISSUER", DevTokens.ISSUER);

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
        TaskServiceProcess service = new TaskServiceProcess(process, log, port);
        try {
            service.awaitReady();
        } catch (RuntimeException | Error e) {
            service.close();
            throw e;
        }
        LOG.info(() -> "task-service is ready on " + service.baseUri() + " (log: " + log + ")");
        return service;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("task-service exited with " + process.exitValue()
                        + " before it was ready; the end of its log:\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for task-service", e);
            }
            pause();
        }
        throw new IllegalStateException("task-service was not ready within " + READY_TIMEOUT.toSeconds()
                + " s (last answer: " + last + "); the end of its log:\n" + logTail());
    }

    /** The last lines of the service's output. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
                    lines.size())));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Stops the service (SIGTERM, then kill if it does not stop in time) and waits for it to end. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting: the hook stops the service.
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warning("task-service did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for task-service", e);
        }
    }
}
