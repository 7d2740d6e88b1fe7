package io.duban.notification.calendar;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the working-day calendar comes from: task-service's {@code GET /api/v1/calendar/{year}},
 * called in the service role (`DUBAN_CALENDAR_SOURCE_URL`; the token is the one the service signs,
 * {@code TaskServiceToken}, unless `DUBAN_CALENDAR_SOURCE_TOKEN` gives one issued elsewhere).
 */
@ConfigMapping(prefix = "duban.calendar-source")
public interface CalendarSourceConfig {

    /** task-service's base URL. */
    @WithDefault("http://localhost:8081")
    URI url();

    /** A bearer token in the service role issued elsewhere; without one the service signs its own. */
    Optional<String> token();

    /** How often the cached calendar is fetched again (a Quarkus scheduler period such as 10m). */
    @WithDefault("10m")
    String refreshEvery();

    /** Connect and read timeout of one call. */
    @WithDefault("5s")
    Duration timeout();

    /** After a failed fetch, the next use tries again no sooner than this. */
    @WithDefault("30s")
    Duration retryAfter();
}
