package io.duban.common.time;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before the next attempt: {@code initial × 2^(failures-1)}, at most {@code max}, plus up to
 * {@code jitter} of it at random so that many deliveries failing together do not retry together.
 * notification-service's deliveries and task-service's outbox relay (without jitter) wait by it.
 */
public record Backoff(Duration initial, Duration max, double jitter) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff: 0 < initial <= max, 0 <= jitter <= 1");
        }
    }

    /** The wait after this many failed attempts (1 for the first failure). */
    public Duration after(int failures, RandomGenerator random) {
        long initialMillis = initial.toMillis();
        long maxMillis = max.toMillis();
        int doublings = Math.max(0, Math.min(failures - 1, 40));
        long base = doublings >= Long.numberOfLeadingZeros(initialMillis) - 1 ? maxMillis
                : Math.min(maxMillis, initialMillis << doublings);
        long extra = (long) (base * jitter * random.nextDouble());
        return Duration.ofMillis(base + extra);
    }

    /** The longest wait there can be: max with all its jitter. */
    public Duration longest() {
        return Duration.ofMillis((long) (max.toMillis() * (1 + jitter)) + 1);
    }
}
