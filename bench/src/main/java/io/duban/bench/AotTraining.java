package io.duban.bench;

import io.duban.postgres.Databases;
import io.duban.postgres.Directories;
import io.duban.postgres.EmbeddedServer;
import io.duban.postgres.LocalPostgres;
import io.duban.postgres.PostgresServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The training run that records a service's JDK ahead-of-time cache (Java 25: JEP 483, 514, 515). It
 * starts the packaged service with {@code -XX:AOTCacheOutput} on a database of its own, sends it the
 * requests of a working morning (its lists, a new item through its lifecycle, a wrong request or two),
 * stops it with SIGTERM, when the JVM writes the cache, and checks that the cache is there. A later start
 * with {@code -XX:AOTCache} maps the classes the run loaded, already linked, with their profiles: task-service
 * answers its first request in about half the time (bench/results.md, "Java 25 and its AOT cache as the
 * product's runtime").
 *
 * <pre>
 * java -cp ... io.duban.bench.AotTraining --service task-service --app DIR [--cache FILE] [--java JAVA]
 *     [--rounds N] [--work DIR]
 * </pre>
 *
 * DIR holds quarkus-run.jar (the aot-jar layout); the cache goes to FILE (default DIR/app.aot). The
 * service's JVM options are its environment's {@code JDK_JAVA_OPTIONS} (the image's): a cache is used
 * only by a JVM whose options agree with the recording's. PostgreSQL as run-local.sh finds it
 * (duban-local-postgres: the configured server, the machine's, else an embedded one, which is what an
 * image build has); the database {@value #DATABASE} is dropped and made anew. The service trusts a key
 * pair made for this run only. Exit status 0 when the cache was written, 1 otherwise.
 */
public final class AotTraining {

    static final String DATABASE = "duban_aot_training";
    private static final String USAGE = "--app DIR [--cache FILE] [--java JAVA] [--rounds N] [--work DIR] ";
    private static final Duration STOP_WAIT = Duration.ofMinutes(5);

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> o = options(args);
        String service = o.get("--service");
        if (service == null || o.get("--app") == null || !WORKLOADS.containsKey(service)
                || o.keySet().stream().anyMatch(k -> !k.equals("--service") && !USAGE.contains(k + " "))) {
            System.err.println("usage: AotTraining --service " + String.join("|", WORKLOADS.keySet()) + " " + USAGE);
            System.exit(2);
        }
        Path app = Path.of(o.get("--app")).toAbsolutePath();
        Path cache = Path.of(o.getOrDefault("--cache", app.resolve("app.aot").toString())).toAbsolutePath();
        String java = o.getOrDefault("--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int rounds = Integer.parseInt(o.getOrDefault("--rounds", "20"));
        Path work = o.containsKey("--work") ? Files.createTempDirectory(Path.of(o.get("--work")), "duban-aot-")
                : Files.createTempDirectory("duban-aot-");
        try {
            long bytes = train(service, app.resolve("quarkus-run.jar"), cache, java, rounds, work);
            System.out.printf("AOT cache of %s: %s, %d MiB%n", service, cache, bytes >> 20);
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    /** Records the cache of one service on the PostgreSQL run-local.sh would use; its size in bytes. */
    static long train(String service, Path jar, Path cache, String java, int rounds, Path work) throws Exception {
        LocalPostgres.Choice choice = LocalPostgres.find(LocalPostgres.Settings.forRun(System.getenv()));
        if (choice.server().isPresent()) {
            return train(service, jar, cache, java, List.of(), rounds, work, choice.server().get(), DATABASE);
        }
        try (EmbeddedServer embedded = EmbeddedServer.start(new EmbeddedServer.Options(work.resolve("pgdata"), 0,
                false, true, work.resolve("postgres.log")))) {
            return train(service, jar, cache, java, List.of(), rounds, work, embedded.server(), DATABASE);
        }
    }

    /**
     * Records the cache of one service: its jar run by that java with those JVM options (besides those of
     * {@code JDK_JAVA_OPTIONS}, which it inherits), on that server in that database, dropped and made
     * anew. The size of the cache in bytes; an exception (with the service's log) when none was written.
     */
    public static long train(String service, Path jar, Path cache, String java, List<String> jvmOptions, int rounds,
            Path work, PostgresServer server, String database) throws Exception {
        Training training = WORKLOADS.get(service);
        if (training == null) {
            throw new IllegalArgumentException("no training for " + service + "; known: " + WORKLOADS.keySet());
        }
        Files.deleteIfExists(cache);
        System.out.println("training " + service + " on " + server.describe() + ", database " + database);
        try (Connection c = server.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + database.replace("\"", "\"\"") + "\" WITH (FORCE)");
        }
        Databases.prepare(server, database);

        KeyPair keys = KeyPairGenerator.getInstance("RSA").genKeyPair();
        Path publicKey = work.resolve("publicKey.pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL",
                server.jdbcUrl(database) + "?currentSchema=" + service.replaceAll("-service$", ""));
        env.put("DUBAN_JWT_PUBLIC_KEY_LOCATION", publicKey.toString());
        env.put("DUBAN_JWT_ISSUER", Tokens.ISSUER);
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-XX:AOTCacheOutput=" + cache);
        Path log = work.resolve(service + ".log");
        // Closing a service that has already stopped does nothing; one that failed its workload is stopped.
        try (ServiceProcess s = ServiceProcess.start(jar, service, java, options, env, log)) {
            try (Workload w = new Workload(s, new Tokens(keys.getPrivate(), Tokens.ISSUER))) {
                training.run(w, rounds);
                System.out.println(service + ": " + w.requests + " requests answered as expected");
            }
            long t0 = System.nanoTime();
            OptionalInt exit = s.stop(STOP_WAIT);
            if (exit.isEmpty() || !Files.isRegularFile(cache) || Files.size(cache) == 0) {
                throw new IllegalStateException(service + " wrote no AOT cache (exit "
                        + (exit.isPresent() ? exit.getAsInt() : "none: killed after " + STOP_WAIT.toSeconds() + " s")
                        + "); its log:\n" + tail(log));
            }
            System.out.printf("%s wrote its cache in %.1f s after SIGTERM%n", service, (System.nanoTime() - t0) / 1e9);
            return Files.size(cache);
        }
    }

    /** What one service is asked during its training. */
    @FunctionalInterface
    interface Training {
        void run(Workload w, int rounds);
    }

    static final Map<String, Training> WORKLOADS = Map.of(
            "task-service", AotTraining::taskService,
            "notification-service", AotTraining::notificationService,
            "report-service", AotTraining::reportService);

    /** Two units, an item led by one and assisted by the other, through dispatch, acceptance and progress. */
    static void taskService(Workload w, int rounds) {
        String admin = w.token("aot.admin", "admin", null);
        String sup = w.token("aot.supervisor", "supervisor", "DCS");
        String handler = w.token("aot.handler", "handler", "AOTA");
        for (String[] u : new String[][] { { "AOTA", "训练单位甲", "甲" }, { "AOTB", "训练单位乙", "乙" } }) {
            w.expect(201, "POST", "/api/v1/units", admin, "{\"code\":\"" + u[0] + "\",\"name\":\"" + u[1]
                    + "\",\"shortName\":\"" + u[2] + "\",\"contactEmail\":\"" + u[0].toLowerCase() + "@example.gov.cn\"}");
        }
        String item = "{\"title\":\"关于推进老旧小区改造的批示\",\"sourceType\":\"LEADER_INSTRUCTION\",\"sourceRef\":\"训练〔2026〕1号\","
                + "\"priority\":\"URGENT\",\"deadline\":\"" + LocalDate.now().plusDays(40) + "\",\"leadUnit\":\"AOTA\","
                + "\"assistUnits\":[\"AOTB\"],\"feedbackCycle\":\"WEEKLY\",\"responsibleLeader\":\"孙丽\",\"category\":\"民生保障\"}";
        String id = Api.json(w.expect(201, "POST", "/api/v1/tasks", sup, item, "Idempotency-Key",
                UUID.randomUUID().toString()), "POST /api/v1/tasks", 201).path("id").asText();
        w.expect(200, "POST", "/api/v1/tasks/" + id + "/dispatch", sup, null);
        w.expect(200, "POST", "/api/v1/tasks/" + id + "/assignments/AOTA/accept", handler, null);
        w.expect(200, "POST", "/api/v1/tasks/" + id + "/assignments/AOTA/progress", handler,
                "{\"content\":\"已完成入户摸底，改造方案初稿已形成。\",\"percent\":35}");
        for (int i = 0; i < rounds; i++) {
            w.expect(200, "GET", "/api/v1/me/assignments", handler, null);
            w.expect(200, "GET", "/api/v1/tasks?sort=deadline&limit=20", handler, null);
            w.expect(200, "GET", "/api/v1/tasks?limit=20", sup, null);
            w.expect(200, "GET", "/api/v1/tasks?q=" + encode("老旧小区"), sup, null);
            w.expect(200, "GET", "/api/v1/tasks/" + id, sup, null);
            w.expect(200, "GET", "/api/v1/tasks/" + id + "/timeline", sup, null);
            w.expect(200, "GET", "/api/v1/units/AOTA", handler, null);
            w.expect(400, "POST", "/api/v1/tasks", sup, "{\"title\":");
            w.expect(404, "GET", "/api/v1/tasks/" + UUID.randomUUID(), sup, null);
            w.common();
        }
    }

    static void notificationService(Workload w, int rounds) {
        String sup = w.token("aot.supervisor", "supervisor", "DCS");
        String handler = w.token("aot.handler", "handler", "AOTA");
        for (int i = 0; i < rounds; i++) {
            w.expect(200, "GET", "/api/v1/me/notifications", handler, null);
            w.expect(200, "GET", "/api/v1/reminder-policies", sup, null);
            w.expect(404, "POST", "/api/v1/notifications/" + UUID.randomUUID() + "/read", handler, null);
            w.common();
        }
    }

    static void reportService(Workload w, int rounds) {
        String sup = w.token("aot.supervisor", "supervisor", "DCS");
        for (int i = 0; i < rounds; i++) {
            w.expect(200, "GET", "/api/v1/ranking-rules", sup, null);
            w.expect(400, "GET", "/api/v1/reports/overdue?from=1990-01-01", sup, null);
            w.common();
        }
    }

    /** One service's connection, the tokens its callers carry, and the answers it must give. */
    static final class Workload implements AutoCloseable {

        private final ServiceProcess service;
        private final Tokens tokens;
        private final Map<String, Api> callers = new LinkedHashMap<>();
        int requests;

        Workload(ServiceProcess service, Tokens tokens) {
            this.service = service;
            this.tokens = tokens;
        }

        String token(String username, String role, String unit) {
            try {
                return tokens.mint(username, role, unit);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sends the request and insists on the status. */
        HttpConnection.Response expect(int status, String method, String path, String token, String json,
                String... headers) {
            Api api = callers.computeIfAbsent(token == null ? "" : token, t -> new Api(service.uri(), token));
            HttpConnection.Response r = method.equals("GET") ? api.get(path, headers) : api.post(path, json, headers);
            requests++;
            if (r.status() != status) {
                throw new IllegalStateException(method + " " + path + " answered " + r.status() + ", not " + status
                        + ": " + r.text());
            }
            return r;
        }

        @Override
        public void close() {
            callers.values().forEach(Api::close);
        }

        /** What every service answers: health, as the platform asks it. */
        void common() {
            expect(200, "GET", "/q/health/ready", null, null);
            expect(200, "GET", "/q/health/live", null, null);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            o.put(args[args.length - 1], "");
        }
        return o;
    }
}
