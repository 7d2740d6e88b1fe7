package io.duban.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The span exporter of Quarkus tests (a CDI SpanExporter replaces the OTLP one, as the Quarkus guide
 * does with the SDK's InMemorySpanExporter): it keeps the most recent spans the application ended, a
 * bounded number of them, so that a test can look at the trace its requests made while the module's
 * other tests make thousands more.
 */
@Singleton
public class RecentSpans implements SpanExporter {

    private static final int KEPT = 20_000;

    private final Deque<SpanData> spans = new ArrayDeque<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> batch) {
        for (SpanData s : batch) {
            if (spans.size() == KEPT) {
                spans.removeFirst();
            }
            spans.addLast(s);
        }
        notifyAll();
        return CompletableResultCode.ofSuccess();
    }

    /** The spans of a trace that ended so far. */
    public synchronized List<SpanData> ofTrace(String traceId) {
        return spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    /**
     * Waits until a span matching the condition has been exported (spans leave in batches, a moment
     * after they end), and returns the first; fails after the timeout.
     */
    public synchronized SpanData await(Predicate<SpanData> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (SpanData s : spans) {
                if (condition.test(s)) {
                    return s;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such span was exported within " + timeout);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a span", e);
            }
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
