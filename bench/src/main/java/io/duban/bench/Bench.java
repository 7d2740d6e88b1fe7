package io.duban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The harness of issue 9: every scenario beside its ceilings in one run, a table of throughput and
 * latency, appended to bench/results.md with the date, machine and commit. See bench/README.md.
 *
 * <p>Either against a running task-service ({@code --url}), or on a database ({@code --database}):
 * then the harness starts the packaged services itself, one after the other, times each from launch
 * to its first 200, and reads their RSS after the runs.
 */
public final class Bench {

    /** Everything a run can be told; {@link #parse} reads {@code --key=value} arguments. */
    public static final class Options {
        public Path root = Path.of("").toAbsolutePath();
        public String url = "http://127.0.0.1:8081";
        /** When set, the harness starts the services on this database (on pgHost:pgPort). */
        public String database;
        public List<String> services = List.of("task-service", "notification-service", "report-service");
        public String pgHost = "127.0.0.1";
        public int pgPort = 5432;
        public String pgUser = "postgres";
        public List<String> jvmOptions = split(env("DUBAN_BENCH_JVM_OPTS", "-Xmx160m -Xmn32m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"));
        /** The java that runs the services (default: the harness's own). */
        public String java = env("DUBAN_BENCH_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        /** The packaged layout under each service's target: quarkus-app, or quarkus-aot (run-local.sh's AOT jar). */
        public String app = env("DUBAN_BENCH_APP", "quarkus-app");
        /** Extra environment for the services the harness starts. */
        public Map<String, String> serviceEnv = new LinkedHashMap<>();
        public String unit = "U077";
        public String assistUnit;
        public String supervisorUnit = "DCS";
        /** Items to create through the API when the handler's unit has fewer (0: use the data as is). */
        public int seed;
        public double seconds = 10;
        public double fixedSeconds = 5;
        public double warmup = 2;
        /** A warm-up pass over all scenarios before the first is measured (then each is warmed again). */
        public boolean warmPass = true;
        public int threads = 8;
        /** The fixed rate, as a fraction of the scenario's closed-loop throughput. */
        public double rateFraction = 0.5;
        public int deepPages = 25;
        public List<String> queries = List.of("老旧小区", "河道");
        /** Only these scenarios (by name; the ceilings always run). */
        public List<String> only = List.of();
        /** wrk for the closed loop of the fixed GETs (when installed); the Java driver otherwise. */
        public boolean wrk;
        public boolean pgbench = true;
        public int pgbenchClients = 8;
        /** Where the table is appended; null: nowhere. */
        public Path results = Path.of("bench/results.md");
        public String label = "";
        public Path work = Path.of("bench/target/run");
        /** Plan mode (bench/plans.sh): one request per scenario, its wall-clock window written here; no load. */
        public Path planMarks;

        public static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw new IllegalArgumentException("expected --key=value, got " + a);
                }
                String k = a.substring(2, a.indexOf('='));
                String v = a.substring(a.indexOf('=') + 1);
                switch (k) {
                    case "root" -> o.root = Path.of(v).toAbsolutePath();
                    case "url" -> o.url = v;
                    case "database" -> o.database = v;
                    case "services" -> o.services = split(v.replace(',', ' '));
                    case "pg-host" -> o.pgHost = v;
                    case "pg-port" -> o.pgPort = Integer.parseInt(v);
                    case "pg-user" -> o.pgUser = v;
                    case "jvm-options" -> o.jvmOptions = split(v);
                    case "unit" -> o.unit = v;
                    case "assist-unit" -> o.assistUnit = v;
                    case "supervisor-unit" -> o.supervisorUnit = v;
                    case "seed" -> o.seed = Integer.parseInt(v);
                    case "seconds" -> o.seconds = Double.parseDouble(v);
                    case "fixed-seconds" -> o.fixedSeconds = Double.parseDouble(v);
                    case "warmup" -> o.warmup = Double.parseDouble(v);
                    case "warm-pass" -> o.warmPass = Boolean.parseBoolean(v);
                    case "threads" -> o.threads = Integer.parseInt(v);
                    case "rate-fraction" -> o.rateFraction = Double.parseDouble(v);
                    case "deep-pages" -> o.deepPages = Integer.parseInt(v);
                    case "q" -> o.queries = split(v.replace(',', ' '));
                    case "only" -> o.only = split(v.replace(',', ' '));
                    case "pgbench" -> o.pgbench = Boolean.parseBoolean(v);
                    case "wrk" -> o.wrk = Boolean.parseBoolean(v);
                    case "pgbench-clients" -> o.pgbenchClients = Integer.parseInt(v);
                    case "results" -> o.results = v.isEmpty() || v.equals("none") ? null : Path.of(v);
                    case "label" -> o.label = v;
                    case "work" -> o.work = Path.of(v);
                    case "plan-marks" -> o.planMarks = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option --" + k);
                }
            }
            return o;
        }
    }

    /** One scenario's line: closed-loop throughput and fixed-rate latency. */
    public record Row(String name, String group, String what, Load.Result closed, Load.Result fixed, double rate) {
    }

    /**
     * A started service: ms from launch to its first 200, RSS after the runs, and the private part of it
     * (RssAnon: the pages that are no file's; a file's clean pages, such as libjvm's, the kernel can share
     * between processes and reclaim).
     */
    public record Start(String service, String jvmOptions, long startMillis, long rssMiB, long privateMiB) {
    }

    /** What a run measured, and the markdown it wrote. */
    public record Report(List<Row> rows, List<Start> starts, PgBench.Result pgbench, String markdown) {

        public Row row(String name) {
            return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Report r = run(Options.parse(args));
        System.out.println(r.markdown());
    }

    public static Report run(Options o) throws Exception {
        List<ServiceProcess> started = new ArrayList<>();
        List<Start> starts = new ArrayList<>();
        String loadAverage = read("/proc/loadavg").trim();
        try {
            URI base = URI.create(o.url);
            if (o.database != null) {
                for (String svc : o.services) {
                    Map<String, String> env = new LinkedHashMap<>(o.serviceEnv);
                    env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + o.pgHost + ":" + o.pgPort + "/"
                            + o.database + "?currentSchema=" + svc.replace("-service", ""));
                    env.putIfAbsent("DUBAN_JWT_PUBLIC_KEY_LOCATION", o.root.resolve("dev/jwt/publicKey.pem").toString());
                    env.putIfAbsent("DUBAN_JWT_ISSUER", Tokens.ISSUER);
                    ServiceProcess s = ServiceProcess.start(o.root, svc, o.java, o.app, o.jvmOptions, env,
                            o.root.resolve(o.work).resolve(svc + ".log"));
                    started.add(s);
                    System.err.printf(Locale.ROOT, "%s: first 200 after %d ms (pid %d)%n", svc, s.startMillis, s.pid());
                    if (svc.equals("task-service")) {
                        base = s.uri();
                    }
                }
            }
            Tokens tokens = new Tokens(o.root.resolve("dev/jwt/privateKey.pem"), env("DUBAN_JWT_ISSUER", Tokens.ISSUER));
            String assist = o.assistUnit != null ? o.assistUnit : o.unit.equals("U001") ? "U002" : "U001";
            String admin = tokens.mint("bench.admin", "admin", null);
            String supervisor = tokens.mint("bench.supervisor", "supervisor", o.supervisorUnit);
            String handler = tokens.mint("bench.handler", "handler", o.unit);
            if (o.seed > 0) {
                seed(base, admin, supervisor, handler, o.unit, assist, o.supervisorUnit, o.seed);
            }
            List<Scenario> scenarios = scenarios(o, base, supervisor, handler, assist);
            if (o.planMarks != null) {
                markPlans(o, base, scenarios);
                return new Report(List.of(), List.of(), null, "");
            }
            Load load = new Load(base);
            boolean useWrk = o.wrk && Wrk.available();
            // One warm-up pass over every reading scenario before any is measured: otherwise the ceilings,
            // measured first, catch the JVM still compiling and come out below the scenarios that follow
            // them. Not the writes: they would change the feed under the 304 poll's ETag before it runs.
            for (Scenario s : scenarios) {
                if (o.warmPass && !s.writes() && (s.isCeiling() || o.only.isEmpty() || o.only.contains(s.name()))) {
                    load.warmUp(s, o.threads, o.warmup);
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Scenario s : scenarios) {
                if (!s.isCeiling() && !o.only.isEmpty() && !o.only.contains(s.name())) {
                    continue;
                }
                load.warmUp(s, o.threads, o.warmup);
                boolean byWrk = useWrk && Wrk.canRun(s);
                Load.Result closed = byWrk ? Wrk.closedLoop(base, s, o.threads, o.seconds)
                        : load.closedLoop(s, o.threads, o.seconds);
                double rate = Math.max(1, closed.throughput() * o.rateFraction);
                Load.Result fixed = o.fixedSeconds > 0 ? load.fixedRate(s, o.threads, o.fixedSeconds, rate) : null;
                Row row = new Row(s.name(), s.group(), s.what(), closed, fixed, rate);
                rows.add(row);
                System.err.printf(Locale.ROOT, "%-28s %8.0f req/s  p50 %7.2f ms  %s%n", s.name(), closed.throughput(),
                        (fixed != null ? fixed : closed).ms(50), closed.statusMix());
            }
            PgBench.Result pg = null;
            if (o.pgbench && o.database != null && (o.only.isEmpty() || o.only.contains("create"))
                    && PgBench.available()) {
                pg = PgBench.run(o.pgHost, o.pgPort, o.pgUser, o.database, PgBench.createScript(o.unit, assist), o.pgbenchClients,
                        (int) Math.max(1, Math.round(o.seconds)), o.root.resolve(o.work));
                System.err.printf(Locale.ROOT, "pgbench create: %.0f tps%n", pg.tps());
            }
            for (ServiceProcess s : started) {
                starts.add(new Start(s.name, String.join(" ", o.jvmOptions), s.startMillis, s.rssMiB(),
                        s.privateMiB()));
            }
            String data = describeData(o, base, handler);
            String md = markdown(o, rows, starts, pg, data, loadAverage);
            if (o.results != null) {
                Path results = o.root.resolve(o.results);
                Files.writeString(results, "\n" + md, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            return new Report(rows, starts, pg, md);
        } finally {
            for (ServiceProcess s : started) {
                s.close();
            }
        }
    }

    // --- scenarios -------------------------------------------------------------------------------

    static List<Scenario> scenarios(Options o, URI base, String supervisorToken, String handlerToken, String assist)
            throws Exception {
        List<Scenario> list = new ArrayList<>();
        Set<Integer> ok = Set.of(200);
        try (Api anonymous = new Api(base, null); Api handler = new Api(base, handlerToken);
                Api supervisor = new Api(base, supervisorToken)) {
            byte[] live = anonymous.request("GET", "/q/health/live", null);
            list.add(new Scenario("live", Scenario.CEILING, "`GET /q/health/live`, no token, no database", n -> live, ok));
            byte[] caller = handler.request("GET", "/api/v1/caller", null);
            list.add(new Scenario("caller", Scenario.CEILING, "`GET /api/v1/caller` as a handler: JWT, no database",
                    n -> caller, ok));
            String unitPath = "/api/v1/units/" + o.unit;
            byte[] unit = handler.request("GET", unitPath, null);
            list.add(new Scenario("unit-pk", Scenario.CEILING, "`GET " + unitPath + "` as a handler: JWT + one primary-key read",
                    n -> unit, ok));

            // The mobile feed: what the handler's phone polls.
            HttpConnection.Response first = handler.get("/api/v1/me/assignments?limit=200");
            JsonNode feed = Api.json(first, "/me/assignments", 200);
            String etag = first.etag();
            String token = feed.path("changeToken").asText();
            byte[] p304 = handler.request("GET", "/api/v1/me/assignments?limit=200", null, "If-None-Match", etag);
            list.add(new Scenario("poll-304", "feed", "`GET /me/assignments` with `If-None-Match`: nothing changed",
                    n -> p304, Set.of(304)));
            byte[] full = handler.request("GET", "/api/v1/me/assignments?limit=200", null);
            list.add(new Scenario("poll-full", "feed", "`GET /me/assignments?limit=200`: the full poll's first page",
                    n -> full, ok));
            byte[] fullGzip = handler.request("GET", "/api/v1/me/assignments?limit=200", null, "Accept-Encoding", "gzip");
            list.add(new Scenario("poll-full-gzip", "feed",
                    "the same with `Accept-Encoding: gzip`, as a phone sends it: the bytes are what crosses the wire",
                    n -> fullGzip, ok));
            byte[] delta = handler.request("GET", "/api/v1/me/assignments?limit=200&changedSince=" + enc(token), null);
            list.add(new Scenario("poll-delta", "feed", "`GET /me/assignments?changedSince=…` with the token of a read made just before the runs",
                    n -> delta, ok));

            // The handler's list: the first page of the open items by deadline, the first page of all
            // its items, and a deep page of those reached by following the cursor.
            String hq = "/api/v1/tasks?status=ACTIVE&sort=deadline&limit=20";
            byte[] hFirst = handler.request("GET", hq, null);
            list.add(new Scenario("handler-page1", "handler list", "`GET " + hq.substring(7) + "` as a handler", n -> hFirst, ok));
            String hAll = "/api/v1/tasks?sort=deadline&limit=20";
            byte[] hPlain = handler.request("GET", hAll, null);
            list.add(new Scenario("handler-all", "handler list", "`GET " + hAll.substring(7) + "` as a handler (every status)",
                    n -> hPlain, ok));
            String cursor = null;
            int depth = 0;
            JsonNode page = handler.getJson(hAll);
            while (depth < o.deepPages && page.hasNonNull("nextCursor")) {
                cursor = page.get("nextCursor").asText();
                depth++;
                page = handler.getJson(hAll + "&cursor=" + enc(cursor));
            }
            String deep = cursor == null ? hAll : hAll + "&cursor=" + enc(cursor);
            byte[] hDeep = handler.request("GET", deep, null);
            list.add(new Scenario("handler-deep", "handler list", "the same, page " + (depth + 1) + " (by `cursor`)",
                    n -> hDeep, ok));

            // The supervisor's list with each filter and each sort.
            LocalDate today = LocalDate.now(ZoneOffset.ofHours(8));
            Map<String, String> lists = new LinkedHashMap<>();
            lists.put("sup-default", "limit=20");
            lists.put("sup-unit", "unit=" + o.unit + "&limit=20");
            lists.put("sup-unit-deadline", "unit=" + o.unit + "&sort=deadline&limit=20");
            lists.put("sup-status", "status=ACTIVE&limit=20");
            lists.put("sup-status2", "status=ACTIVE&status=PENDING_REVIEW&sort=deadline&limit=20");
            lists.put("sup-source", "sourceType=PROPOSAL&limit=20");
            lists.put("sup-priority", "priority=CRITICAL&limit=20");
            lists.put("sup-window", "deadlineFrom=" + today + "&deadlineTo=" + today.plusDays(7) + "&limit=20");
            lists.put("sup-overdue", "overdue=true&limit=20");
            lists.put("sup-red", "warning=RED&limit=20");
            lists.put("sup-yellow", "warning=YELLOW&limit=20");
            lists.put("sup-sort-deadline", "sort=deadline&limit=20");
            lists.put("sup-sort-deadline-desc", "sort=-deadline&limit=20");
            lists.put("sup-sort-number", "sort=number&limit=20");
            lists.put("sup-sort-created", "sort=createdAt&limit=20");
            lists.put("sup-sort-updated-desc", "sort=-updatedAt&limit=20");
            int qi = 0;
            for (String q : o.queries) {
                lists.put("sup-q" + (++qi), "q=" + enc(q) + "&limit=20");
            }
            for (Map.Entry<String, String> e : lists.entrySet()) {
                byte[] req = supervisor.request("GET", "/api/v1/tasks?" + e.getValue(), null);
                String shown = "`GET /tasks?" + java.net.URLDecoder.decode(e.getValue(), StandardCharsets.UTF_8) + "`";
                list.add(new Scenario(e.getKey(), "supervisor list", shown + " as a supervisor", n -> req, ok));
            }

            // A lifecycle action: a progress report (进展反馈) on the unit's assignments in progress, rotating.
            JsonNode working = handler.getJson("/api/v1/me/assignments?status=IN_PROGRESS&limit=200").path("assignments");
            List<String> itemIds = new ArrayList<>();
            working.forEach(a -> itemIds.add(a.path("itemId").asText()));
            if (!itemIds.isEmpty()) {
                List<byte[]> reqs = new ArrayList<>();
                for (String id : itemIds) {
                    reqs.add(handler.request("POST", "/api/v1/tasks/" + id + "/assignments/" + o.unit + "/progress",
                            "{\"content\":\"压测：本周按计划推进，已完成现场踏勘。\",\"percent\":50}"));
                }
                list.add(new Scenario("progress", "lifecycle", "`POST /tasks/{id}/assignments/" + o.unit
                        + "/progress` as a handler, over " + itemIds.size() + " items", n -> reqs.get((int) (n % reqs.size())), ok));
            } else {
                System.err.println("no assignment of " + o.unit + " is IN_PROGRESS: the lifecycle scenario is left out");
            }

            // Create with two assignments and an Idempotency-Key (a fresh key each time).
            String run = UUID.randomUUID().toString().substring(0, 8);
            String body = "{\"title\":\"压测立项 城东老旧小区改造专项工作\",\"sourceType\":\"MEETING_DECISION\",\"priority\":\"NORMAL\","
                    + "\"deadline\":\"" + today.plusDays(20) + "\",\"leadUnit\":\"" + o.unit + "\",\"assistUnits\":[\"" + assist
                    + "\"],\"feedbackCycle\":\"WEEKLY\"}";
            String auth = "Bearer " + supervisorToken;
            String host = base.getHost() + ":" + base.getPort();
            LongFunction<byte[]> create = n -> HttpConnection.request("POST", host, "/api/v1/tasks",
                    Map.of("Authorization", auth, "Idempotency-Key", "bench-" + run + "-" + n), body);
            list.add(new Scenario("create", "intake", "`POST /tasks` with two assignments and an `Idempotency-Key`",
                    create, Set.of(201)));
        }
        return list;
    }

    /**
     * For bench/plans.sh: each scenario's request once to warm up, then once more inside a window of
     * wall-clock time (epoch ms) written as {@code name<TAB>from<TAB>to}, so that the plans the server
     * logs (auto_explain) can be told apart by their time.
     */
    static void markPlans(Options o, URI base, List<Scenario> scenarios) throws Exception {
        StringBuilder marks = new StringBuilder();
        try (HttpConnection c = new HttpConnection(base)) {
            long n = 0;
            for (Scenario s : scenarios) {
                if (s.isCeiling() || !o.only.isEmpty() && !o.only.contains(s.name())) {
                    continue;
                }
                c.send(s.request().apply(n++));
                Thread.sleep(300);
                long from = System.currentTimeMillis();
                int status = c.send(s.request().apply(n++)).status();
                Thread.sleep(300);
                marks.append(s.name()).append('\t').append(from).append('\t').append(System.currentTimeMillis())
                        .append('\t').append(status).append('\t').append(s.what()).append('\n');
            }
        }
        Path file = o.root.resolve(o.planMarks);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, marks.toString(), StandardCharsets.UTF_8);
    }

    // --- seeding ---------------------------------------------------------------------------------

    /** Units, then items dispatched to the handler's unit and accepted, until it has {@code count}. */
    static void seed(URI base, String adminToken, String supervisorToken, String handlerToken, String unit,
            String assist, String office, int count) {
        try (Api admin = new Api(base, adminToken); Api supervisor = new Api(base, supervisorToken);
                Api handler = new Api(base, handlerToken)) {
            for (String code : List.of(unit, assist, office)) {
                if (admin.get("/api/v1/units/" + code).status() == 404) {
                    admin.postJson("/api/v1/units", "{\"code\":\"" + code + "\",\"name\":\"压测单位" + code + "\"}", 201);
                }
            }
            int have = handler.getJson("/api/v1/me/assignments?limit=1000").path("assignments").size();
            String[] places = { "城东", "城西", "滨河", "高新" };
            String[] topics = { "老旧小区改造", "河道清淤", "背街小巷整治", "养老服务" };
            String[] sources = { "LEADER_INSTRUCTION", "MEETING_DECISION", "PROPOSAL", "PUBLIC_APPEAL" };
            String[] priorities = { "NORMAL", "URGENT", "CRITICAL", "NORMAL" };
            LocalDate today = LocalDate.now(ZoneOffset.ofHours(8));
            for (int i = have; i < count; i++) {
                String body = "{\"title\":\"" + places[i % 4] + topics[(i / 4) % 4] + "督办件（" + i + "）\",\"sourceType\":\""
                        + sources[i % 4] + "\",\"priority\":\"" + priorities[(i / 2) % 4] + "\",\"deadline\":\""
                        + today.plusDays(i % 40 - 10) + "\",\"leadUnit\":\"" + unit + "\",\"assistUnits\":[\"" + assist
                        + "\"],\"feedbackCycle\":\"" + (i % 2 == 0 ? "WEEKLY" : "NONE") + "\"}";
                String id = supervisor.postJson("/api/v1/tasks", body, 201).path("id").asText();
                supervisor.postJson("/api/v1/tasks/" + id + "/dispatch", null, 200);
                if (i % 5 != 0) {
                    handler.postJson("/api/v1/tasks/" + id + "/assignments/" + unit + "/accept", null, 200);
                }
            }
        }
    }

    // --- the report ------------------------------------------------------------------------------

    static String describeData(Options o, URI base, String handlerToken) {
        if (o.database == null) {
            return "the running task-service at " + o.url;
        }
        String sql = "SELECT (SELECT count(*) FROM task.supervision_item) || ' items, ' || "
                + "(SELECT count(*) FROM task.assignment) || ' assignments, ' || "
                + "(SELECT count(*) FROM task.assignment_change) || ' change-log rows; unit " + o.unit + ": ' || "
                + "(SELECT count(*) FROM task.assignment WHERE unit_code = '" + o.unit
                + "' AND status IN ('PENDING_ACCEPTANCE','IN_PROGRESS','SUBMITTED')) || ' open assignments, ' || "
                + "(SELECT count(*) FROM task.assignment_change WHERE unit_code = '" + o.unit + "') || ' changes in the log'";
        String counts = command(List.of("psql", "-h", o.pgHost, "-p", String.valueOf(o.pgPort), "-U", o.pgUser, "-d",
                o.database, "-tAc", sql));
        return "database `" + o.database + "`" + (counts.isBlank() ? "" : " (" + counts.trim() + ", after the runs)");
    }

    static String markdown(Options o, List<Row> rows, List<Start> starts, PgBench.Result pg, String data,
            String loadAverage) {
        StringBuilder b = new StringBuilder();
        String when = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        b.append("## ").append(when).append(" — bench/run.sh").append(o.label.isEmpty() ? "" : ": " + o.label).append("\n\n");
        b.append("- commit: `").append(command(List.of("git", "-C", o.root.toString(), "describe", "--always", "--dirty")).trim())
                .append("` (").append(command(List.of("git", "-C", o.root.toString(), "rev-parse", "--abbrev-ref", "HEAD")).trim())
                .append(")\n");
        b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(memTotal()).append(" memory, load average at start ").append(loadAverage).append("; ")
                .append(javaVersion(o.java)).append(o.app.equals("quarkus-app") ? "" : " (" + o.app + ")").append("\n");
        b.append("- data: ").append(data).append("\n");
        b.append(String.format(Locale.ROOT, "- load: %d keep-alive connections; %sper scenario %.1f s warm-up, %.1f s closed "
                + "loop (max req/s: %s), then %.1f s at %.0f%% of that rate by the Java driver (bench/src, HdrHistogram; "
                + "latency from the intended send time: no coordinated omission)%n", o.threads,
                o.warmPass ? "a warm-up pass over all scenarios first, then " : "", o.warmup, o.seconds,
                o.wrk && Wrk.available() ? "wrk for the fixed GETs (answers `-1`: 2xx/3xx, `-2`: the rest), the Java driver for the rest"
                        : "the Java driver", o.fixedSeconds, o.rateFraction * 100));
        b.append("- handler unit ").append(o.unit).append(", supervisor of ").append(o.supervisorUnit)
                .append("; services' JVM options: `").append(String.join(" ", o.jvmOptions)).append("`")
                .append(o.database == null ? " (not started by the harness)" : "").append("\n\n");

        Row live = find(rows, "live");
        Row caller = find(rows, "caller");
        Row pk = find(rows, "unit-pk");
        b.append("| scenario | max req/s | ÷live | ÷caller | ÷pk | rate req/s | p50 ms | p99 ms | p99.9 ms | max ms | bytes | answers |\n");
        b.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Row r : rows) {
            Load.Result f = r.fixed() != null ? r.fixed() : r.closed();
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %s |%n",
                    r.name(), r.closed().throughput(), ratio(r, live), ratio(r, caller), ratio(r, pk),
                    f.throughput(), f.ms(50), f.ms(99), f.ms(99.9), f.ms(100), r.closed().bytesPerRequest(),
                    r.closed().statusMix() + (r.fixed() != null && r.fixed().errors() > 0 ? "; at rate " + r.fixed().statusMix() : "")));
        }
        if (pg != null) {
            Row create = find(rows, "create");
            b.append(String.format(Locale.ROOT, "| pgbench-create | %.0f | | | | | %.2f (mean) | | | | | `%s` |%n",
                    pg.tps(), pg.latencyMs(), pg.command()));
            if (create != null) {
                b.append(String.format(Locale.ROOT, "%ncreate through the API ÷ pgbench of its statements: %.2f%n",
                        create.closed().throughput() / pg.tps()));
            }
        }
        Row p304 = find(rows, "poll-304");
        Row full = find(rows, "poll-full");
        if (p304 != null && full != null) {
            b.append(String.format(Locale.ROOT, "%nfull poll ÷ 304 poll: %.3f (1/%.1f); 304 poll ÷ caller: %s%n",
                    full.closed().throughput() / p304.closed().throughput(),
                    p304.closed().throughput() / full.closed().throughput(), ratio(p304, caller)));
        }
        Row gzip = find(rows, "poll-full-gzip");
        if (p304 != null && gzip != null) {
            b.append(String.format(Locale.ROOT, "full poll with gzip ÷ 304 poll: %.3f (1/%.1f), %d bytes a page on the wire%n",
                    gzip.closed().throughput() / p304.closed().throughput(),
                    p304.closed().throughput() / gzip.closed().throughput(), gzip.closed().bytesPerRequest()));
        }
        if (!starts.isEmpty()) {
            b.append("\n| service | JVM options | launch to first 200 ms | RSS after the runs MiB | of it private (RssAnon) |\n"
                    + "|---|---|--:|--:|--:|\n");
            for (Start s : starts) {
                b.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %d | %d |%n", s.service(), s.jvmOptions(),
                        s.startMillis(), s.rssMiB(), s.privateMiB()));
            }
        }
        b.append("\n<details><summary>scenarios</summary>\n\n");
        for (Row r : rows) {
            b.append("- ").append(r.name()).append(" (").append(r.group()).append("): ").append(r.what()).append("\n");
        }
        b.append("\n</details>\n");
        return b.toString();
    }

    private static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static String ratio(Row r, Row ceiling) {
        if (ceiling == null || ceiling.closed().throughput() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f", r.closed().throughput() / ceiling.closed().throughput());
    }

    private static String memTotal() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "? GiB";
    }

    private static String javaVersion(String java) {
        String v = command(List.of(java, "-version"));
        String[] lines = v.trim().split("\n");
        return lines.length > 1 ? lines[0].trim() + " / " + lines[lines.length - 1].trim() : v.trim();
    }

    private static String command(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? out : "";
        } catch (IOException | InterruptedException | IllegalThreadStateException e) {
            return "";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static List<String> split(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
    }
}
