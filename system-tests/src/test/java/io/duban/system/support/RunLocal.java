package io.duban.system.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run-local.sh --no-build} as a person runs it, with its output collected (and copied to a file),
 * stopped as Ctrl-C or kill stops it (a signal the script traps), and, should that fail, everything it
 * started killed so that nothing outlives the test.
 */
public final class RunLocal implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private final Process script;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private final List<ProcessHandle> seen = new ArrayList<>();

    private RunLocal(Process script, Path copy) {
        this.script = script;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(script.getInputStream(),
                    StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.append(line).append('\n');
                    out.write(line + "\n");
                    out.flush();
                }
            } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
            }
        }, "run-local-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the script from the repository root, with these environment variables added. */
    public static RunLocal start(Path root, Map<String, String> env, Path outputCopy) {
        try {
            Files.createDirectories(outputCopy.getParent());
            ProcessBuilder builder = new ProcessBuilder("bash", "run-local.sh", "--no-build")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            for (String name : List.of("PGHOST", "PGPORT", "PGADMIN", "QUARKUS_PROFILE")) {
                builder.environment().remove(name);
            }
            builder.environment().putAll(env);
            return new RunLocal(builder.start(), outputCopy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start run-local.sh", e);
        }
    }

    /** The output so far, once it contains the text; fails when the script ends or time runs out first. */
    public String awaitOutput(String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            remember();
            if (output.indexOf(text) >= 0) {
                return output.toString();
            }
            if (!script.isAlive()) {
                reader.join(2000);
                throw new AssertionError("run-local.sh exited with " + script.exitValue() + " before printing \""
                        + text + "\":\n" + output);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run-local.sh did not print \"" + text + "\" within " + timeout.toSeconds()
                + " s:\n" + output);
    }

    /** Every process the script has started so far (that was seen alive). */
    public List<ProcessHandle> descendants() {
        remember();
        return List.copyOf(seen);
    }

    public String output() {
        return output.toString();
    }

    private void remember() {
        script.descendants().filter(p -> !seen.contains(p)).forEach(seen::add);
    }

    /** SIGTERM, as kill sends it: the script's trap stops the services, then the embedded server. */
    @Override
    public void close() throws InterruptedException {
        remember();
        script.destroy();
        if (!script.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            script.destroyForcibly();
            seen.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("run-local.sh did not stop within " + STOP_TIMEOUT.toSeconds() + " s:\n" + output);
        }
        reader.join(5000);
    }
}
