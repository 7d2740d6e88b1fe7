package io.duban.task.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The office clock in tests: the real time unless a test pins it to a day, so that deadlines and
 * warnings can be checked against known calendar dates. Tests that pin it reset it afterwards.
 */
public final class TestClock extends Clock {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Clock SYSTEM = Clock.tick(Clock.system(ZONE), Duration.ofNanos(1000));
    private static volatile Instant pinned;

    /** Pins "now" to 10:00 office time on the day. */
    public static void pin(LocalDate day) {
        pinned = day.atTime(LocalTime.of(10, 0)).atZone(ZONE).toInstant();
    }

    public static void reset() {
        pinned = null;
    }

    @Override
    public ZoneId getZone() {
        return ZONE;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        Instant p = pinned;
        return p != null ? p : SYSTEM.instant();
    }

    /** Replaces the application's clock in every @QuarkusTest. */
    public static class Producer {
        @Produces
        @Alternative
        @Priority(1)
        @ApplicationScoped
        Clock testClock() {
            return new TestClock();
        }
    }
}
