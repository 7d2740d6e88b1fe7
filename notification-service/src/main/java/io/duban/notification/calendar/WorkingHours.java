package io.duban.notification.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.function.Predicate;

/**
 * Office hours on working days: whether a moment lies inside them, and how much of them passed
 * between two moments (how long an urge has waited "in working hours"). Plain Java, no framework.
 */
public record WorkingHours(LocalTime start, LocalTime end, ZoneId zone) {

    /** Beyond this many days a wait is not summed further (a decade of waiting is a data error). */
    static final int MAX_DAYS = 3660;

    public WorkingHours {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("office hours must start before they end: " + start + "-" + end);
        }
    }

    /** Inside office hours on a working day: start inclusive, end exclusive. */
    public boolean contains(Instant at, Predicate<LocalDate> workingDay) {
        ZonedDateTime t = at.atZone(zone);
        LocalTime time = t.toLocalTime();
        return workingDay.test(t.toLocalDate()) && !time.isBefore(start) && time.isBefore(end);
    }

    /** The office hours of working days that lie between {@code from} and {@code to}. */
    public Duration between(Instant from, Instant to, Predicate<LocalDate> workingDay) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        LocalDate day = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        Duration total = Duration.ZERO;
        for (int i = 0; !day.isAfter(last) && i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (!workingDay.test(day)) {
                continue;
            }
            Instant open = day.atTime(start).atZone(zone).toInstant();
            Instant close = day.atTime(end).atZone(zone).toInstant();
            Instant a = from.isAfter(open) ? from : open;
            Instant b = to.isBefore(close) ? to : close;
            if (b.isAfter(a)) {
                total = total.plus(Duration.between(a, b));
            }
        }
        return total;
    }
}
