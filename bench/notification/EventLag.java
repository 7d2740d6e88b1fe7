import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end event lag (issue 10): creates and dispatches items through task-service's API as fast as
 * C clients can for S seconds, waits until every outbox row written meanwhile is applied by
 * notification-service, then reads the lag of each event from the database: the outbox row's
 * created_at (written in the transaction that commits the change) to processed_event.applied_at (the
 * intake's transaction that applies it). Both services write with the same machine clock.
 *
 *   java -cp postgresql.jar bench/notification/EventLag.java TASK_URL TOKEN JDBC_URL SECONDS CLIENTS WARMUP PIDS LEAD [ASSIST]
 *
 * WARMUP seconds of the same load go first (the services' JIT), not measured; PIDS (comma-separated)
 * are the services' processes, whose CPU time during the measured phase (from /proc/PID/stat) is
 * printed per 1,000 events.
 *
 * Used by bench/event-lag.sh, which starts the services.
 */
public class EventLag {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        String task = args[0];
        String token = args[1];
        String jdbc = args[2];
        int seconds = Integer.parseInt(args[3]);
        int clients = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        String[] pids = args[6].split(",");
        String lead = args[7];
        String assist = args.length > 8 && !args[8].isBlank() ? "\"" + args[8] + "\"" : "";
        if (warmup > 0) {
            run(task, token, jdbc, warmup, clients, lead, assist, null);
        }
        if (System.getenv("DUBAN_BENCH_ANALYZE") != null) {
            // The statistics a database that has run for a while has (a fresh one gets them from autovacuum mid-run).
            try (Connection c = DriverManager.getConnection(jdbc)) {
                c.createStatement().execute("ANALYZE");
            }
        }
        run(task, token, jdbc, seconds, clients, lead, assist, pids);
    }

    static void run(String task, String token, String jdbc, int seconds, int clients, String lead, String assist,
            String[] pids) throws Exception {
        long[] cpu0 = pids == null ? null : cpu(pids);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String deadline = LocalDate.now().plusDays(30).toString();
        OffsetDateTime start;
        try (Connection c = DriverManager.getConnection(jdbc); ResultSet r = c.createStatement().executeQuery("SELECT now()")) {
            r.next();
            start = r.getObject(1, OffsetDateTime.class);
        }
        AtomicLong items = new AtomicLong();
        // Each create + dispatch, in ms: a change that waits at its commit (locks) shows here, and in the lag.
        java.util.Queue<Long> requestMs = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            int worker = w;
            running.add(pool.submit(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    try {
                        String body = "{\"title\":\"事件时延测试 " + worker + "-" + n++ + "\",\"sourceType\":\"LEADER_INSTRUCTION\","
                                + "\"priority\":\"NORMAL\",\"deadline\":\"" + deadline + "\",\"leadUnit\":\"" + lead
                                + "\",\"assistUnits\":[" + assist + "],\"feedbackCycle\":\"NONE\"}";
                        long t0 = System.nanoTime();
                        HttpResponse<String> created = http.send(post(task + "/api/v1/tasks", token, body),
                                HttpResponse.BodyHandlers.ofString());
                        Matcher m = ID.matcher(created.body());
                        if (created.statusCode() != 201 || !m.find()) {
                            errors.incrementAndGet();
                            continue;
                        }
                        HttpResponse<String> dispatched = http.send(post(task + "/api/v1/tasks/" + m.group(1) + "/dispatch",
                                token, null), HttpResponse.BodyHandlers.ofString());
                        if (dispatched.statusCode() / 100 == 2) {
                            items.incrementAndGet();
                            requestMs.add((System.nanoTime() - t0) / 1_000_000);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double loadSeconds = seconds;
        System.out.printf("%s: %d clients, %d s: %,d items created and dispatched (%.1f/s), %d errors%n", pids == null ? "warm-up" : "load", clients,
                seconds, items.get(), items.get() / loadSeconds, errors.get());
        if (pids != null && !requestMs.isEmpty()) {
            long[] ms = requestMs.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("create + dispatch ms: p50 %d  p99 %d  max %d%n", ms[ms.length / 2],
                    ms[(int) Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)], ms[ms.length - 1]);
        }
        try (Connection c = DriverManager.getConnection(jdbc)) {
            long waitUntil = System.nanoTime() + 600_000_000_000L;
            long pending;
            do {
                Thread.sleep(500);
                pending = one(c, "SELECT count(*) FROM task.outbox_event o WHERE o.created_at >= ? AND NOT EXISTS"
                        + " (SELECT 1 FROM notification.processed_event p WHERE p.event_id = o.id)", start);
            } while (pending > 0 && System.nanoTime() < waitUntil);
            if (pids == null) {
                return;
            }
            long[] cpu1 = cpu(pids);
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*),
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY lag),
                           percentile_cont(0.99) WITHIN GROUP (ORDER BY lag),
                           max(lag),
                           extract(epoch FROM max(p_at) - min(o_at)),
                           extract(epoch FROM max(o_at) - min(o_at))
                    FROM (SELECT extract(epoch FROM p.applied_at - o.created_at) AS lag, p.applied_at AS p_at,
                                 o.created_at AS o_at
                          FROM task.outbox_event o JOIN notification.processed_event p ON p.event_id = o.id
                          WHERE o.created_at >= ?) x""")) {
                ps.setObject(1, start);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    long events = r.getLong(1);
                    System.out.printf("events: %,d written in %.1f s (%.1f/s), all applied %.1f s after the first was"
                            + " written (%.1f/s); not applied: %d%n", events, r.getDouble(6), events / r.getDouble(6),
                            r.getDouble(5), events / r.getDouble(5), pending);
                    System.out.printf("lag s: p50 %.3f  p99 %.3f  max %.3f%n", r.getDouble(2), r.getDouble(3), r.getDouble(4));
                    // Where the slow events are: each second of writing with its worst lag, the three worst seconds,
                    // and how much of their lag was before the relay marked them delivered.
                    try (PreparedStatement w = c.prepareStatement("""
                            SELECT extract(epoch FROM date_trunc('second', o.created_at) - date_trunc('second', CAST(? AS timestamptz))),
                                   count(*), max(extract(epoch FROM p.applied_at - o.created_at)),
                                   max(extract(epoch FROM o.published_at - p.applied_at))
                              FROM task.outbox_event o JOIN notification.processed_event p ON p.event_id = o.id
                             WHERE o.created_at >= ? GROUP BY 1 ORDER BY 3 DESC LIMIT 3""")) {
                        w.setObject(1, start);
                        w.setObject(2, start);
                        try (ResultSet wr = w.executeQuery()) {
                            StringBuilder worst = new StringBuilder("worst seconds (s after start: events, max lag, max delivered-after-applied):");
                            while (wr.next()) {
                                worst.append(String.format(" [%.0f: %d, %.2f s, %.2f s]", wr.getDouble(1), wr.getLong(2),
                                        wr.getDouble(3), wr.getDouble(4)));
                            }
                            System.out.println(worst);
                        }
                    }
                    for (int i = 0; i < pids.length; i++) {
                        double s = (cpu1[i] - cpu0[i]) / 100.0;
                        System.out.printf("CPU of pid %s: %.2f s, %.0f ms per 1,000 events%n", pids[i], s, s * 1e6 / events);
                    }
                }
            }
        }
    }

    /** utime + stime of each process, in clock ticks (USER_HZ, 100 on Linux). */
    private static long[] cpu(String[] pids) throws Exception {
        long[] out = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pids[i] + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return out;
    }

    private static HttpRequest post(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static long one(Connection c, String sql, Object arg) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
