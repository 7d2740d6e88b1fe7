package io.duban.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final RandomGenerator NO_JITTER = new Random() {
        @Override
        public double nextDouble() {
            return 0;
        }
    };
    private static final RandomGenerator MOST_JITTER = new Random() {
        @Override
        public double nextDouble() {
            return Math.nextDown(1.0);
        }
    };

    @Test
    void theWaitDoublesFromTheInitialOneUpToTheLimit() {
        Backoff b = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 0.2);
        assertEquals(Duration.ofMinutes(1), b.after(1, NO_JITTER));
        assertEquals(Duration.ofMinutes(2), b.after(2, NO_JITTER));
        assertEquals(Duration.ofMinutes(4), b.after(3, NO_JITTER));
        assertEquals(Duration.ofMinutes(32), b.after(6, NO_JITTER));
        assertEquals(Duration.ofHours(1), b.after(7, NO_JITTER));
        assertEquals(Duration.ofHours(1), b.after(1000, NO_JITTER), "no overflow however many failures");
    }

    @Test
    void jitterAddsUpToItsFractionAndSpreadsTheWaits() {
        Backoff b = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 0.2);
        assertEquals(Duration.ofMinutes(2).plusSeconds(24).minusMillis(1), b.after(2, MOST_JITTER));
        assertTrue(b.after(50, MOST_JITTER).compareTo(b.longest()) < 0);
        Random seeded = new Random(42);
        Set<Duration> waits = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Duration w = b.after(3, seeded);
            assertTrue(w.compareTo(Duration.ofMinutes(4)) >= 0 && w.compareTo(Duration.ofSeconds(288)) < 0, w.toString());
            waits.add(w);
        }
        assertTrue(waits.size() > 50, "spread out: " + waits.size() + " distinct waits of 100");
    }

    @Test
    void aBackoffThatCannotWorkIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofMinutes(1), 0.2));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1), 0.2));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 1.5));
    }
}
