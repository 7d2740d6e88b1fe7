package io.duban.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * wrk (Debian's package) as the closed-loop tool for a GET scenario, when asked ({@code --wrk=true}):
 * the scenario's request is read back into wrk's URL and {@code -H} options. Its latencies are not
 * taken (wrk's are closed-loop, hence coordinated-omission prone); the fixed-rate phase stays with
 * the Java driver. In the table's answers, {@code -1} counts wrk's 2xx/3xx answers, {@code -2} the
 * rest (4xx/5xx, socket errors, timeouts over 30 s).
 */
final class Wrk {

    private Wrk() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Whether the scenario is one fixed GET (what wrk can repeat without a script). */
    static boolean canRun(Scenario s) {
        byte[] a = s.request().apply(0);
        byte[] b = s.request().apply(1);
        return new String(a, StandardCharsets.UTF_8).startsWith("GET ") && java.util.Arrays.equals(a, b);
    }

    static Load.Result closedLoop(URI base, Scenario s, int connections, double seconds)
            throws IOException, InterruptedException {
        String[] lines = new String(s.request().apply(0), StandardCharsets.UTF_8).split("\r\n");
        String path = lines[0].split(" ")[1];
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t", String.valueOf(Math.min(2, connections)), "-c",
                String.valueOf(connections), "-d", Math.max(1, Math.round(seconds)) + "s", "--timeout", "30s"));
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            if (!lines[i].startsWith("Host:")) {
                cmd.add("-H");
                cmd.add(lines[i]);
            }
        }
        cmd.add(base.resolve(path).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher total = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)").matcher(out);
        if (!total.find()) {
            throw new IllegalStateException("wrk: " + out);
        }
        long requests = Long.parseLong(total.group(1));
        double secs = Double.parseDouble(total.group(2)) * switch (total.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60;
            default -> 1;
        };
        Matcher bad = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        Matcher errors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        long failed = bad.find() ? Long.parseLong(bad.group(1)) : 0;
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                failed += Long.parseLong(errors.group(g));
            }
        }
        Matcher transfer = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMG]?B)").matcher(out);
        long bytes = 0;
        if (transfer.find()) {
            double unit = switch (transfer.group(2)) {
                case "KB" -> 1024;
                case "MB" -> 1024 * 1024;
                case "GB" -> 1024 * 1024 * 1024;
                default -> 1;
            };
            bytes = (long) (Double.parseDouble(transfer.group(1)) * unit * secs);
        }
        return new Load.Result(requests, failed, secs, new Histogram(60_000_000_000L, 3),
                failed == 0 ? Map.of(-1, requests) : Map.of(-1, requests - failed, -2, failed), bytes);
    }
}
