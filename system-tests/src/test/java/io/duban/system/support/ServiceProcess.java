package io.duban.system.support;

import io.duban.testing.DevTokens;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a separate JVM in the
 * prod profile (heap bounded), on a port of its own, trusting the dev public key, with the environment
 * a test adds. It can be stopped gracefully, killed (SIGKILL, as {@code kill -9}) and started again on
 * the same port and database, which is what the fault tests do to it. Output goes to a log file,
 * appended across restarts.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * The JVM options of every service a system test starts. These services live for seconds to a
     * minute and no test here measures their throughput: C1 alone starts them with 40% less CPU than
     * C1 + C2 (bench/results.md, "Start-up of the services the system tests run").
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path root;
    private final String module;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private Thread stopOnExit;
    /** The class-data archive this run writes at its exit (the module's first run in this JVM), or null. */
    private ClassData.Recording recording;

    private ServiceProcess(Path root, String module, int port, Map<String, String> env, Path log) {
        this.root = root;
        this.module = module;
        this.port = port;
        this.env = env;
        this.log = log;
    }

    /**
     * A service on a free port, against one schema of the database (cleaned and migrated at its first
     * start only), with extra environment variables.
     */
    public static ServiceProcess prepare(Path root, String module, String jdbcUrl, Map<String, String> extraEnv,
            Path logDirectory) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("DUBAN_JWT_PUBLIC_KEY_LOCATION", root.resolve("dev/jwt/publicKey.pem").toAbsolutePath().toString());
        env.put("DUBAN_JWT_ISSUER", DevTokens.ISSUER);
        // No load balancer to tell before a stop: no pre-shutdown delay, unless a test sets one (ops/README.md).
        env.put("QUARKUS_SHUTDOWN_DELAY", "0s");
        env.putAll(extraEnv);
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceProcess(root, module, freePort(), env, logDirectory.resolve(module + ".log"));
    }

    /** Sets (or replaces) an environment variable for the next start, e.g. a peer's address known only now. */
    public ServiceProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public int port() {
        return port;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the JVM and waits until it answers ready; {@code clean}: Flyway cleans the schema first. */
    public ServiceProcess start(boolean clean) {
        Path jar = packaged(root.resolve(module + "/target/quarkus-app/quarkus-run.jar"));
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        recording = ClassData.options(jar, port, command);
        return launch(jar, command, clean);
    }

    /**
     * Starts another packaging of the service with that java and those JVM options instead of the
     * defaults (no class-data archive, the schema as it is), e.g. the aot-jar from its AOT cache on Java
     * 25, and waits until it answers ready.
     */
    public ServiceProcess start(Path jar, String java, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        return launch(packaged(jar), command, false);
    }

    private Path packaged(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first");
        }
        return jar;
    }

    private ServiceProcess launch(Path jar, List<String> command, boolean clean) {
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> e = builder.environment();
        e.remove("QUARKUS_PROFILE");
        e.putAll(env);
        e.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        e.put("QUARKUS_FLYWAY_CLEAN_AT_START", String.valueOf(clean));
        e.put("QUARKUS_FLYWAY_CLEAN_DISABLED", String.valueOf(!clean));
        try {
            Files.writeString(log, "\n==== starting " + module + " on " + port + (clean ? " (clean)" : "") + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + jar, ex);
        }
        Process started = process;
        stopOnExit = new Thread(started::destroyForcibly, "stop-" + module);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        awaitReady();
        return this;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue()
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
                throw new IllegalStateException(e);
            }
            pause(250);
        }
        throw new IllegalStateException(module + " was not ready within " + READY_TIMEOUT.toSeconds() + " s (last: "
                + last + "); the end of its log:\n" + logTail());
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no graceful end of anything. */
    public void kill() {
        forceEnd();
        waitForEnd();
    }

    /** SIGKILL; a class-data archive this run was to write at its exit is incomplete, if there at all. */
    private void forceEnd() {
        process.destroyForcibly();
        if (recording != null) {
            recording.discard();
            recording = null;
        }
    }

    /** SIGTERM: the service shuts down gracefully. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                forceEnd();
            }
        } catch (InterruptedException e) {
            forceEnd();
            Thread.currentThread().interrupt();
        }
        waitForEnd();
    }

    private void waitForEnd() {
        boolean ended = false;
        try {
            ended = process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (recording != null) {
            if (ended) {
                recording.keep();
            } else {
                recording.discard();
            }
            recording = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting: the hook stops the service.
        }
    }

    /**
     * Sends SIGTERM (as Kubernetes does to end a pod) and returns at once; {@link #awaitExit} waits for
     * the end. A test that measures the graceful end uses these instead of {@link #stop()}.
     */
    public void signalTerm() {
        process.destroy();
    }

    /** The exit status once the process has ended within {@code limit}; empty if it still runs. */
    public java.util.OptionalInt awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return java.util.OptionalInt.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        waitForEnd();
        return java.util.OptionalInt.of(process.exitValue());
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 80), lines.size())));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops each of these, in this order; one not prepared (null) is passed over. */
    public static void closeAll(ServiceProcess... services) {
        for (ServiceProcess s : services) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where {@link #freePort} hands out ports: below Linux's ephemeral range (32768–60999). */
    private static final int PORTS_FROM = 20_000;
    private static final int PORTS = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger NEXT_PORT = new AtomicInteger((int) (ProcessHandle.current().pid() * 97 % PORTS));

    /**
     * A port free on the loopback interface now, and never handed out before in this JVM. Test classes run
     * two at a time and a service may start long after its port was chosen, so a port is taken out of a
     * range of its own, below the ephemeral ports that anything bound to port 0 gets (an OTLP receiver, the
     * bench's service): a port chosen here is never another class's service answering in place of this one.
     */
    public static int freePort() {
        for (int tries = 0; tries < PORTS; tries++) {
            int port = PORTS_FROM + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return port;
            } catch (IOException inUse) {
                // taken by something else: the next one
            }
        }
        throw new IllegalStateException("no free port in " + PORTS_FROM + "-" + (PORTS_FROM + PORTS - 1));
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
