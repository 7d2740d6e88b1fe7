package io.duban.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;

/** The one clock every service reads "now" and "today" from; tests replace it (duban-test-support). */
public class ClockProducer {

    /**
     * The office clock; "today" for deadlines is the date in the office's zone. It ticks in
     * microseconds, the precision PostgreSQL keeps, so a timestamp reads back as it was written.
     */
    @Produces
    @ApplicationScoped
    Clock officeClock(OfficeConfig office) {
        return Clock.tick(Clock.system(office.zone()), Duration.ofNanos(1000));
    }
}
