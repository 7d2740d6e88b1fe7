package io.duban.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/** The one clock every service reads "now" and "today" from; tests replace it (duban-test-support). */
public class ClockProducer {

    private static final Logger LOG = Logger.getLogger(ClockProducer.class);

    /**
     * The office clock; "today" for deadlines is the date in the office's zone. It ticks in
     * microseconds, the precision PostgreSQL keeps, so a timestamp reads back as it was written.
     * With {@code duban.office.clock-start} it starts at that local time and runs forward from there.
     */
    @Produces
    @ApplicationScoped
    Clock officeClock(OfficeConfig office) {
        return Clock.tick(startingAt(Clock.system(office.zone()), office), Duration.ofNanos(1000));
    }

    /** The system clock, or (clock-start set) the system clock shifted so that it reads clock-start now. */
    static Clock startingAt(Clock system, OfficeConfig office) {
        if (office.clockStart().isEmpty()) {
            return system;
        }
        Instant start = office.clockStart().get().atZone(office.zone()).toInstant();
        Duration shift = Duration.between(system.instant(), start);
        LOG.warnf("duban.office.clock-start=%s: the office clock starts at %s (%s) and runs on from there,"
                + " %s away from the real time; not for production", office.clockStart().get(), start, office.zone(), shift);
        return Clock.offset(system, shift);
    }
}
