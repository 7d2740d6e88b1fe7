package io.duban.system.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's local SMTP sink ({@code dev/SmtpSink.java}, as run-local.sh runs it) as a process
 * of the test: it takes every message on a free loopback port and writes each to a directory as
 * {@code .eml}; it ends with the test's JVM at the latest.
 */
public final class SmtpSinkProcess implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final Path mail;

    private SmtpSinkProcess(Process process, int port, Path mail) {
        this.process = process;
        this.port = port;
        this.mail = mail;
    }

    public static SmtpSinkProcess start(Path root, Path mail) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    root.resolve("dev/SmtpSink.java").toString(), "0", mail.toAbsolutePath().toString(),
                    Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = first == null ? null : PORT.matcher(first);
            if (m == null || !m.find()) {
                p.destroyForcibly();
                throw new IllegalStateException("the SMTP sink did not start: " + first);
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "smtp-sink-output");
            drain.setDaemon(true);
            drain.start();
            return new SmtpSinkProcess(p, Integer.parseInt(m.group(1)), mail);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dev/SmtpSink.java", e);
        }
    }

    public int port() {
        return port;
    }

    /** How many messages it has received. */
    public long messages() {
        try (Stream<Path> files = Files.list(mail)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
