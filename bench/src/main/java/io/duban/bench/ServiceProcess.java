package io.duban.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service (its quarkus-run.jar) started by the harness, alone, so that its start can be
 * timed: from the moment the JVM is launched to its first 200 on {@code /q/health/ready} (which needs
 * its database), polled every 10 ms. Its resident set size is read from /proc when asked.
 */
final class ServiceProcess implements AutoCloseable {

    final String name;
    final int port;
    final long startMillis;
    private final Process process;

    private ServiceProcess(String name, int port, Process process, long startMillis) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.startMillis = startMillis;
    }

    /**
     * Starts {@code <root>/<name>/target/<app>/quarkus-run.jar} with that java, the JVM options (the
     * heap bound) and the environment given, in the jar's directory (where an AOT cache option finds
     * {@code app.aot}), and waits for its first 200.
     */
    static ServiceProcess start(Path root, String name, String java, String app, List<String> jvmOptions,
            Map<String, String> env, Path log) throws IOException, InterruptedException {
        Path jar = root.resolve(name + "/target/" + app + "/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -B package -DskipTests -pl " + name + " -am");
        }
        return start(jar, name, java, jvmOptions, env, log);
    }

    /** Starts that quarkus-run.jar, in its directory, and waits for its first 200. */
    static ServiceProcess start(Path jar, String name, String java, List<String> jvmOptions, Map<String, String> env,
            Path log) throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder b = new ProcessBuilder(cmd).directory(jar.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        b.environment().remove("QUARKUS_PROFILE");
        b.environment().remove("JAVA_TOOL_OPTIONS");
        b.environment().putAll(env);
        b.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        b.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        long t0 = System.nanoTime();
        Process p = b.start();
        ServiceProcess s = null;
        try (HttpConnection c = new HttpConnection(URI.create("http://127.0.0.1:" + port))) {
            byte[] ready = HttpConnection.request("GET", "127.0.0.1:" + port, "/q/health/ready", Map.of(), null);
            long deadline = t0 + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + log);
                }
                try {
                    if (c.send(ready).status() == 200) {
                        s = new ServiceProcess(name, port, p, (System.nanoTime() - t0) / 1_000_000);
                        return s;
                    }
                } catch (IOException notYet) {
                    c.close();
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException(name + " did not answer 200 within 120 s; see " + log);
        } finally {
            if (s == null) {
                p.destroyForcibly();
            }
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    /** VmRSS of the process in MiB (from /proc/PID/status), or -1 where there is no /proc. */
    long rssMiB() {
        return status(process.pid(), "VmRSS:");
    }

    /** RssAnon: the resident pages that are no file's (the heap, the code, private copies), in MiB, or -1. */
    long privateMiB() {
        return status(process.pid(), "RssAnon:");
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Sends SIGTERM and waits up to that long for the process to end (a JVM writing its AOT cache at exit
     * takes seconds); its exit status, or empty if it had to be killed.
     */
    OptionalInt stop(Duration wait) throws InterruptedException {
        process.destroy();
        if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(process.exitValue());
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return OptionalInt.empty();
    }

    /** SIGTERM, up to 20 s for the end, then SIGKILL; nothing for a process that has ended already. */
    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
