import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what the mobile and list endpoints cost on a running task-service, all in one run so the
 * ratios are comparable on a noisy machine. Run through bench/run.sh, which mints the tokens.
 *
 *   java bench/FeedBench.java BASE_URL ADMIN SUPERVISOR HANDLER UNIT ITEMS SECONDS THREADS
 */
public class FeedBench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern TOKEN = Pattern.compile("\"changeToken\":\"([A-Za-z0-9_-]+)\"");

    public static void main(String[] a) throws Exception {
        String base = a[0];
        String admin = a[1];
        String supervisor = a[2];
        String handler = a[3];
        String unit = a[4];
        int items = Integer.parseInt(a[5]);
        int seconds = Integer.parseInt(a[6]);
        int threads = Integer.parseInt(a[7]);

        post(base + "/api/v1/units", admin, "{\"code\":\"" + unit + "\",\"name\":\"压测单位" + unit + "\"}");
        int existing = count(get(base + "/api/v1/me/assignments", handler, null).body());
        for (int i = existing; i < items; i++) {
            String body = "{\"title\":\"压测事项 " + i + "\",\"sourceType\":\"OTHER\",\"deadline\":\""
                    + LocalDate.now().plusDays(i % 30 - 5) + "\",\"leadUnit\":\"" + unit + "\",\"feedbackCycle\":\""
                    + (i % 2 == 0 ? "WEEKLY" : "NONE") + "\"}";
            Matcher m = ID.matcher(post(base + "/api/v1/tasks", supervisor, body).body());
            if (!m.find()) {
                throw new IllegalStateException("cannot create a bench item");
            }
            post(base + "/api/v1/tasks/" + m.group(1) + "/dispatch", supervisor, null);
        }
        HttpResponse<String> full = get(base + "/api/v1/me/assignments", handler, null);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        Matcher t = TOKEN.matcher(full.body());
        t.find();
        String token = t.group(1);
        System.out.printf(Locale.ROOT, "unit %s: %d open assignments, full body %d bytes; %d s per case, %d threads%n%n",
                unit, count(full.body()), full.body().getBytes(StandardCharsets.UTF_8).length, seconds, threads);
        System.out.println("| case | requests/s | p50 ms | p99 ms | status |");
        System.out.println("|---|---|---|---|---|");
        List<double[]> rates = new ArrayList<>();
        rates.add(run("GET /me/assignments (full list)", seconds, threads,
                () -> get(base + "/api/v1/me/assignments", handler, null)));
        rates.add(run("GET /me/assignments, If-None-Match (304)", seconds, threads,
                () -> get(base + "/api/v1/me/assignments", handler, etag)));
        rates.add(run("GET /me/assignments?changedSince (empty delta)", seconds, threads,
                () -> get(base + "/api/v1/me/assignments?changedSince=" + token, handler, null)));
        rates.add(run("GET /tasks?limit=100 (with warnings)", seconds, threads,
                () -> get(base + "/api/v1/tasks?limit=100&unit=" + unit, supervisor, null)));
        System.out.printf(Locale.ROOT, "%nratios in this run: 304 poll / full list = %.1fx, empty delta / full list = %.1fx%n",
                rates.get(1)[0] / rates.get(0)[0], rates.get(2)[0] / rates.get(0)[0]);
    }

    static double[] run(String name, int seconds, int threads, Supplier<HttpResponse<String>> call) throws Exception {
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            call.get();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> parts = new ArrayList<>();
        int[] status = new int[1];
        for (int i = 0; i < threads; i++) {
            parts.add(pool.submit(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = call.get();
                    lat[n++] = System.nanoTime() - s;
                    status[0] = r.statusCode();
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : parts) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        pool.shutdown();
        all.sort(null);
        double rate = all.size() / (double) seconds;
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %d |%n", name, rate,
                all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6, status[0]);
        return new double[] { rate };
    }

    static int count(String body) {
        int n = 0;
        for (int i = body.indexOf("\"assignmentId\""); i >= 0; i = body.indexOf("\"assignmentId\"", i + 1)) {
            n++;
        }
        return n;
    }

    static HttpResponse<String> get(String url, String token, String ifNoneMatch) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return send(b.GET().build());
    }

    static HttpResponse<String> post(String url, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
