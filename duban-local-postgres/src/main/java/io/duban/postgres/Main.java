package io.duban.postgres;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The command line of this module.
 *
 * <pre>
 * run   --database NAME --data DIR --log FILE --state FILE [--port N] [--watch-pid PID]
 *     run-local.sh: finds the PostgreSQL to use ({@link LocalPostgres}, settings PGHOST, PGPORT, PGADMIN,
 *     DUBAN_PG_PROBE_ADDRESS), or starts an embedded one with its data in DIR, durable, on port N if it
 *     is free (else on a free one); creates the database NAME and runs db/init-roles.sql in it; says
 *     which server it uses; writes the state file. With an embedded server it then stays until it is
 *     stopped (SIGTERM) or the process PID ends, and stops the server; otherwise it exits at once.
 * serve --data DIR --log FILE --state FILE [--watch-pid PID]
 *     the tests' keeper ({@link SharedTestPostgres}): an embedded server on a free port, not durable,
 *     until SIGTERM or the end of PID.
 * </pre>
 *
 * Exit status 1 when no server can be had (the message says why), 2 for a wrong command line.
 */
public final class Main {

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // zonky logs through SLF4J: on the command line (slf4j-simple) only its warnings, on stderr.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("serve"))) {
            usage();
        }
        Map<String, String> options = options(args);
        Path data = path(options, "--data");
        Path log = path(options, "--log");
        Path state = path(options, "--state");
        Long watched = options.containsKey("--watch-pid") ? Long.valueOf(options.get("--watch-pid")) : null;
        if (args[0].equals("run")) {
            String database = options.get("--database");
            if (database == null) {
                usage();
            }
            int port = options.containsKey("--port") ? Integer.parseInt(options.get("--port")) : 0;
            run(database, data, log, state, port, watched);
        } else {
            serve(data, log, state, watched);
        }
    }

    private static void run(String database, Path data, Path log, Path state, int preferredPort, Long watched)
            throws Exception {
        LocalPostgres.Settings settings = LocalPostgres.Settings.forRun(System.getenv());
        LocalPostgres.Choice choice;
        try {
            choice = LocalPostgres.find(settings);
        } catch (IllegalStateException | IllegalArgumentException e) {
            OUT.println("无法使用已配置的 PostgreSQL：" + e.getMessage());
            System.exit(1);
            return;
        }
        Files.deleteIfExists(state);
        if (choice.server().isPresent()) {
            PostgresServer server = choice.server().get();
            Databases.prepare(server, database);
            OUT.println(server.source() == PostgresServer.Source.CONFIGURED
                    ? "数据库：已配置的 PostgreSQL " + server.version() + "（" + server.host() + ":" + server.port()
                            + "，由 " + settings.hostVariable() + "/" + settings.portVariable() + " 指定），数据库 "
                            + database
                    : "数据库：本机的 PostgreSQL " + server.version() + "（" + server.host() + ":" + server.port()
                            + "），数据库 " + database);
            StateFile.write(state, server, null);
            return;
        }
        OUT.println(whyEmbedded(choice, settings) + "，改用嵌入式 PostgreSQL "
                + EmbeddedServer.binariesVersion().replaceAll("\\.0$", "")
                + (Files.exists(data.resolve("PG_VERSION")) ? "" : "（首次启动需要解压和初始化数据目录）") + "…");
        int port = preferredPort > 0 && free(preferredPort) ? preferredPort : 0;
        EmbeddedServer embedded = keep(new EmbeddedServer.Options(data, port, true, false, log),
                "嵌入式 PostgreSQL 已停止，数据保留在 " + shown(data));
        PostgresServer server = embedded.server();
        Databases.prepare(server, database);
        OUT.println("数据库：嵌入式 PostgreSQL " + server.version() + "（" + server.host() + ":" + server.port()
                + "，数据目录 " + shown(data) + "，日志 " + shown(log) + "），数据库 " + database
                + "；随本次运行停止");
        StateFile.write(state, server, ProcessHandle.current().pid());
        untilStopped(state, watched);
    }

    private static void serve(Path data, Path log, Path state, Long watched) throws Exception {
        EmbeddedServer embedded = keep(new EmbeddedServer.Options(data, 0, false, true, log),
                "stopped the embedded PostgreSQL");
        System.out.println("serving " + embedded.server().describe() + ", data " + data
                + (watched == null ? "" : ", until process " + watched + " ends"));
        StateFile.write(state, embedded.server(), ProcessHandle.current().pid());
        untilStopped(state, watched);
    }

    /** Starts the server, and stops it when this JVM ends (SIGTERM, or {@link #untilStopped}). */
    private static EmbeddedServer keep(EmbeddedServer.Options options, String stoppedMessage) {
        AtomicReference<EmbeddedServer> started = new AtomicReference<>();
        Object lock = new Object();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (lock) {
                EmbeddedServer s = started.getAndSet(null);
                if (s != null) {
                    s.close();
                    OUT.println(stoppedMessage);
                }
            }
        }, "stop-embedded-postgres"));
        Throwable failure = null;
        synchronized (lock) {
            try {
                started.set(EmbeddedServer.start(options));
            } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
                failure = e;
            }
        }
        if (failure != null) {
            // Not while holding the lock: System.exit runs the hook above, which takes it.
            OUT.println("无法启动嵌入式 PostgreSQL（cannot start the embedded PostgreSQL）：" + failure
                    + (failure.getCause() == null ? "" : "，" + failure.getCause()) + "；日志 " + shown(options.log()));
            System.exit(1);
        }
        return started.get();
    }

    private static void untilStopped(Path state, Long watched) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(state);
            } catch (IOException e) {
                // nothing to do: readers check that the keeper is alive
            }
        }, "remove-state"));
        if (watched == null) {
            new CountDownLatch(1).await();
        }
        // Polled rather than onExit(), which for a process that is not our child backs off to
        // seconds: the server should be gone as soon as the build or the script is.
        Optional<ProcessHandle> p = ProcessHandle.of(watched);
        while (p.isPresent() && p.get().isAlive()) {
            Thread.sleep(250);
        }
        System.exit(0);
    }

    private static String whyEmbedded(LocalPostgres.Choice choice, LocalPostgres.Settings settings) {
        return switch (choice.reason()) {
            case PROBE_OFF -> LocalPostgres.PROBE_ADDRESS_ENV + "=none";
            case NO_ANSWER -> "未配置 PostgreSQL（" + settings.hostVariable() + "/" + settings.portVariable()
                    + "），" + choice.address() + " 上也没有";
            case LOGIN_REFUSED -> choice.address() + " 上的 PostgreSQL 不允许 " + settings.admin() + " 免密登录（"
                    + choice.detail() + "）";
        };
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A path as the user typed it: relative to the working directory when it is inside it. */
    private static String shown(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage();
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static Path path(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            usage();
        }
        return Path.of(v);
    }

    private static void usage() {
        System.err.println("usage: Main run --database NAME --data DIR --log FILE --state FILE [--port N] [--watch-pid PID]\n"
                + "       Main serve --data DIR --log FILE --state FILE [--watch-pid PID]");
        System.exit(2);
    }
}
