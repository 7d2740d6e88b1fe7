package io.duban.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The office clock in tests: the real time until a test pins it, so that deadlines, warnings and
 * reminders can be checked against known calendar dates without waiting. A bean, not a static: a
 * test injects it ({@code @Inject SettableClock clock}) and resets it after use.
 */
@Alternative
@Priority(1)
@Singleton
public class SettableClock extends Clock {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Clock SYSTEM = Clock.tick(Clock.system(ZONE), Duration.ofNanos(1000));

    private volatile Instant pinned;

    /** Pins "now" to 10:00 office time on the day. */
    public void pin(LocalDate day) {
        pin(day.atTime(LocalTime.of(10, 0)));
    }

    /** Pins "now" to this office time. */
    public void pin(LocalDateTime at) {
        pinned = at.atZone(ZONE).toInstant();
    }

    /** Moves a pinned clock on (and pins a running one first). */
    public void advance(Duration by) {
        pinned = instant().plus(by);
    }

    public void reset() {
        pinned = null;
    }

    @Override
    public ZoneId getZone() {
        return ZONE;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the office clock has one zone");
    }

    @Override
    public Instant instant() {
        Instant p = pinned;
        return p != null ? p : SYSTEM.instant();
    }
}
