package io.duban.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The two ways a scenario is driven, each thread on its own keep-alive connection:
 * <ul>
 * <li><b>closed loop</b> (max throughput): every thread sends its next request as soon as the last one
 * is answered; the figure is requests answered per second.</li>
 * <li><b>fixed rate</b> (latency): the threads together send {@code rate} requests a second on a fixed
 * schedule, each thread its share (as wrk2 does). A request's latency is measured from the time it
 * <i>should</i> have been sent, so a stall counts for every request it held back (no coordinated
 * omission); a thread that falls behind sends at once until it has caught up.</li>
 * </ul>
 */
public final class Load {

    /** One measured phase of one scenario. */
    public record Result(long requests, long errors, double seconds, Histogram latency, Map<Integer, Long> statuses,
            long wireBytes) {

        public double throughput() {
            return requests / seconds;
        }

        public double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
        }

        public long bytesPerRequest() {
            return requests == 0 ? 0 : wireBytes / requests;
        }

        public String statusMix() {
            StringBuilder b = new StringBuilder();
            statuses.forEach((s, n) -> b.append(b.length() == 0 ? "" : " ").append(s).append('×').append(n));
            return b.toString();
        }
    }

    private static final long HIGHEST_NS = 60_000_000_000L;

    private final URI base;
    private final AtomicLong sequence = new AtomicLong();

    Load(URI base) {
        this.base = base;
    }

    /** Sends requests back to back for {@code seconds}, unrecorded: JIT, caches, pools. */
    void warmUp(Scenario s, int threads, double seconds) throws InterruptedException {
        run(s, threads, seconds, 0);
    }

    Result closedLoop(Scenario s, int threads, double seconds) throws InterruptedException {
        return run(s, threads, seconds, 0);
    }

    Result fixedRate(Scenario s, int threads, double seconds, double rate) throws InterruptedException {
        return run(s, threads, seconds, rate);
    }

    private Result run(Scenario s, int threads, double seconds, double rate) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime() + 20_000_000L;
        long end = start + (long) (seconds * 1e9);
        long interval = rate > 0 ? (long) (threads * 1e9 / rate) : 0;
        long[] done = new long[threads];
        for (int t = 0; t < threads; t++) {
            Histogram h = new Histogram(HIGHEST_NS, 3);
            histograms.add(h);
            int index = t;
            Thread w = new Thread(() -> {
                try (HttpConnection c = new HttpConnection(base)) {
                    long intended = start + (interval * index) / Math.max(1, threads);
                    long now;
                    while ((now = System.nanoTime()) < start) {
                        LockSupport.parkNanos(start - now);
                    }
                    while (true) {
                        long sendAt;
                        if (interval > 0) {
                            if (intended >= end) {
                                break;
                            }
                            while ((now = System.nanoTime()) < intended) {
                                LockSupport.parkNanos(intended - now);
                            }
                            sendAt = intended;
                            intended += interval;
                        } else {
                            sendAt = System.nanoTime();
                            if (sendAt >= end) {
                                break;
                            }
                        }
                        byte[] request = s.request().apply(sequence.getAndIncrement());
                        int status;
                        try {
                            HttpConnection.Response r = c.send(request);
                            status = r.status();
                            bytes.addAndGet(r.wireBytes());
                        } catch (Exception e) {
                            status = 0;
                            c.close();
                        }
                        long latency = System.nanoTime() - sendAt;
                        h.recordValue(Math.min(latency, HIGHEST_NS));
                        done[index]++;
                        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                        if (!s.expected().contains(status)) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "bench-" + s.name() + "-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(HIGHEST_NS, 3);
        histograms.forEach(all::add);
        long requests = 0;
        for (long d : done) {
            requests += d;
        }
        Map<Integer, Long> mix = new TreeMap<>();
        statuses.forEach((k, v) -> mix.put(k, v.get()));
        return new Result(requests, errors.get(), elapsed, all, mix, bytes.get());
    }
}
