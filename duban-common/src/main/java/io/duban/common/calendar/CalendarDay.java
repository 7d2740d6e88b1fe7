package io.duban.common.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One departure from the plain Monday–Friday rule, as published in the State Council's yearly
 * notice: a holiday ({@code offDay} true) or a 调休 make-up workday ({@code offDay} false).
 *
 * <p>A make-up workday only makes sense on a Saturday or Sunday (a weekday is a workday anyway),
 * so one on a weekday is refused here: such an entry is always a data error, and refusing it in
 * the record means neither the parser nor the calculator can ever hold one. A holiday on a
 * weekend is allowed because the official data lists those (e.g. 2026-10-03, a Saturday).
 */
public record CalendarDay(LocalDate date, String name, boolean offDay) {

    /** Validates the day; see the class comment for the rules. */
    public CalendarDay {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Calendar day " + date + " must have a non-blank name");
        }
        if (!offDay && !isWeekend(date)) {
            throw new IllegalArgumentException("Calendar day " + date + " (" + date.getDayOfWeek()
                    + ") is marked as a make-up workday, but only a Saturday or Sunday can be one");
        }
    }

    static boolean isWeekend(LocalDate date) {
        DayOfWeek dow = date.getDayOfWeek();
        return dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
    }
}
