package io.duban.task.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;

public class ClockProducer {

    /**
     * The office clock; "today" for deadlines is the date in the office's zone. It ticks in
     * microseconds, the precision PostgreSQL keeps, so a timestamp reads back as it was written.
     */
    @Produces
    @ApplicationScoped
    Clock officeClock(DubanConfig config) {
        return Clock.tick(Clock.system(config.office().zone()), Duration.ofNanos(1000));
    }
}
