package io.duban.notification.calendar;

import io.duban.common.calendar.CalendarDay;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.time.OfficeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The working-day calendar as notification-service knows it: fetched from task-service over REST
 * (never from its tables), cached in memory, fetched again every {@code refresh-every}, and at once
 * when an event says the calendar changed (DEADLINE_CHANGED, reason CALENDAR). It covers last year,
 * this year and next year of the office clock; a year task-service has no data for is plain
 * Monday–Friday, as everywhere in Duban. Until the first fetch succeeds the calendar is plain
 * Monday–Friday too, and each use tries again (no sooner than {@code retry-after}).
 *
 * <p>When a refresh finds different data, {@link CalendarChanged} is fired so that the schedule is
 * planned again on the new working days.
 */
@ApplicationScoped
public class OfficeCalendar {

    private static final Logger LOG = Logger.getLogger(OfficeCalendar.class);

    /** Fired after a refresh that changed the working days. */
    public record CalendarChanged(String fingerprint) {
    }

    private record Snapshot(WorkingDayCalculator calculator, String fingerprint, int firstYear, int lastYear,
            Instant fetchedAt, boolean loaded) {
    }

    private final CalendarClient client;
    private final CalendarSourceConfig config;
    private final Clock clock;
    private final ZoneId zone;
    private final Event<CalendarChanged> changed;

    private volatile Snapshot snapshot;
    private volatile Instant lastAttempt = Instant.MIN;
    /** Something was planned on plain Monday-Friday because no fetch had succeeded yet. */
    private volatile boolean servedFallback;

    public OfficeCalendar(CalendarClient client, CalendarSourceConfig config, Clock clock, OfficeConfig office,
            Event<CalendarChanged> changed) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.zone = office.zone();
        this.changed = changed;
    }

    /** The calculator of the cached calendar, fetching it first if there is none yet. */
    public WorkingDayCalculator calculator() {
        Snapshot s = snapshot;
        if (s == null || !s.loaded()) {
            if (lastAttempt.plus(config.retryAfter()).isBefore(clock.instant())) {
                refresh();
            }
            s = snapshot;
            if (s == null) {
                servedFallback = true;
                return new WorkingDayCalculator(Map.of());
            }
        }
        return s.calculator();
    }

    /** A text that changes whenever the cached working days do (for ETags of computed texts). */
    public String fingerprint() {
        calculator();
        Snapshot s = snapshot;
        return s == null ? "none" : s.fingerprint();
    }

    public ZoneId zone() {
        return zone;
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /**
     * Fetches the years around today again; true when the working days changed (and then
     * {@link CalendarChanged} has been fired). A failure keeps the cached calendar and says false.
     */
    public synchronized boolean refresh() {
        lastAttempt = clock.instant();
        int year = today().getYear();
        Map<Integer, List<CalendarDay>> years = new HashMap<>();
        StringBuilder text = new StringBuilder();
        try {
            for (int y = year - 1; y <= year + 1; y++) {
                CalendarClient.Fetched f = client.fetch(y);
                f.data().ifPresent(d -> years.put(d.year(), d.days()));
                text.append(y).append(':').append(f.data().map(HolidayCnFormat::write).orElse("-")).append('\n');
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not read the working-day calendar from task-service (%s); keeping %s", e.getMessage(),
                    snapshot == null ? "plain Monday-Friday" : "the cached one");
            return false;
        }
        String fingerprint = Integer.toHexString(text.toString().hashCode()) + "-" + (year - 1);
        Snapshot before = snapshot;
        snapshot = new Snapshot(new WorkingDayCalculator(years), fingerprint, year - 1, year + 1, clock.instant(), true);
        boolean differs = before == null || !before.fingerprint().equals(fingerprint);
        if (differs && (before != null || servedFallback)) {
            servedFallback = false;
            LOG.infof("the working-day calendar changed (%s -> %s): replanning", before == null ? "Monday-Friday"
                    : before.fingerprint(), fingerprint);
            changed.fire(new CalendarChanged(fingerprint));
        }
        return differs;
    }

    /** Refreshes unless a refresh ran within the last {@code retry-after}: one fetch for a burst of events. */
    public boolean refreshUnlessFresh() {
        if (lastAttempt.plus(config.retryAfter()).isAfter(clock.instant())
                && lastAttempt.isBefore(clock.instant().plusSeconds(1))) {
            return false;
        }
        return refresh();
    }

    /** Forces the next use to fetch (tests that change the served calendar). */
    public void forget() {
        lastAttempt = Instant.MIN;
    }

    /** The working-day questions the schedule asks, on the cached calendar. */
    public WorkingDays workingDays() {
        return new WorkingDays(calculator());
    }

    public boolean isWorkingDay(LocalDate day) {
        return calculator().isWorkingDay(day);
    }
}
