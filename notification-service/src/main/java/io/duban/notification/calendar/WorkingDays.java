package io.duban.notification.calendar;

import io.duban.common.calendar.WorkingDayCalculator;
import java.time.LocalDate;

/** The working-day questions the reminder schedule asks, answered by duban-common's WorkingDayCalculator. */
public record WorkingDays(WorkingDayCalculator calculator) {

    public boolean isWorkingDay(LocalDate day) {
        return calculator.isWorkingDay(day);
    }

    /** The n-th working day after {@code from} (from itself not counted). */
    public LocalDate addWorkingDays(LocalDate from, int n) {
        return calculator.addWorkingDays(from, n).date();
    }

    /** {@code day} if it is a working day, else the next one. */
    public LocalDate onOrAfter(LocalDate day) {
        return addWorkingDays(day.minusDays(1), 1);
    }

    /**
     * The working day {@code n} (≥ 1) working days before {@code deadline}: the working day d with
     * {@code workingDaysBetween(d, deadline) == n}, or, for a deadline on a day off, the n-th working
     * day before it. Steps back a day at a time, asking the calculator (n is a handful of days).
     */
    public LocalDate before(LocalDate deadline, int n) {
        LocalDate d = deadline;
        int counted = 0;
        while (counted < n) {
            d = d.minusDays(1);
            if (calculator.isWorkingDay(d)) {
                counted++;
            }
        }
        return d;
    }

    /** Signed working days from {@code from} to {@code to}: positive when {@code to} is later. */
    public int between(LocalDate from, LocalDate to) {
        return calculator.workingDaysBetween(from, to).days();
    }
}
