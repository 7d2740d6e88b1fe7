package io.duban.task.observe;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value computed by a query, kept for a while: the gauges read it at every scrape, the database sees
 * one query per period. Scrapes that come while it is fresh share it.
 */
final class Snapshot<T> {

    private final Supplier<T> compute;
    private final long maxAgeNanos;
    private T value;
    private long takenAt;

    Snapshot(Supplier<T> compute, Duration maxAge) {
        this.compute = compute;
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized T get() {
        long now = System.nanoTime();
        if (value == null || now - takenAt >= maxAgeNanos) {
            value = compute.get();
            takenAt = now;
        }
        return value;
    }
}
