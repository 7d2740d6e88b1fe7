package io.duban.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The phases of a graceful end as the schedulers and the request gate see them (the whole, under load: GracefulShutdownTest). */
class DrainingTest {

    private static Draining draining(String delay, String refuseBeforeDrain) {
        return new Draining(Optional.of(Duration.parse(delay)), new Draining.Config() {
            @Override
            public Duration workTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration refuseBeforeDrain() {
                return Duration.parse(refuseBeforeDrain);
            }
        });
    }

    @Test
    void whileServingJobsRunAndRequestsPass() {
        Draining d = draining("PT5S", "PT1S");
        AtomicInteger ran = new AtomicInteger();
        assertTrue(d.unlessStopping(() -> {
            ran.incrementAndGet();
        }));
        assertEquals(Optional.of(7), d.unlessStopping(() -> 7));
        assertEquals(1, ran.get());
        assertFalse(d.stopping());
        assertFalse(d.refusingRequests());
    }

    @Test
    void duringTheDelayNoJobStartsButRequestsAreServedUntilItsLastPart() {
        Draining d = draining("PT1H", "PT1S");
        d.preShutdown(new ShutdownDelayInitiatedEvent());
        AtomicInteger ran = new AtomicInteger();
        assertTrue(d.stopping());
        assertFalse(d.unlessStopping(() -> {
            ran.incrementAndGet();
        }), "no job starts once shutdown has begun");
        assertEquals(0, ran.get());
        assertFalse(d.refusingRequests(), "requests are served in the delay's first part");
    }

    @Test
    void aDelayShorterThanTheRefusalRefusesAtOnce() {
        Draining d = draining("PT0S", "PT1S");
        assertFalse(d.refusingRequests());
        d.preShutdown(new ShutdownDelayInitiatedEvent());
        assertTrue(d.refusingRequests());
    }
}
