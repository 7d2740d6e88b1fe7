package io.duban.common.time;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;

/** The office every service works for: `DUBAN_OFFICE_ZONE`, and for tests and demos `DUBAN_OFFICE_CLOCK_START`. */
@ConfigMapping(prefix = "duban.office")
public interface OfficeConfig {

    /** The office's time zone: deadlines are dates there, timestamps are rendered there. */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    /**
     * Not for production: the office clock starts at this local date-time (in {@link #zone()}, e.g.
     * {@code 2026-10-09T10:00}) when the service starts, and runs forward at the real pace from there.
     * System tests use it to run a packaged service as if it were a working day in office hours,
     * whatever the real date. Absent (the default): the office clock is the system clock. A WARN
     * in the log says when it is set.
     */
    Optional<LocalDateTime> clockStart();
}
