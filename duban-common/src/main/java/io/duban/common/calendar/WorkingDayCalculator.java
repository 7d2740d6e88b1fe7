package io.duban.common.calendar;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chinese working-day (工作日) arithmetic: Monday–Friday, corrected per year by the State
 * Council's holidays and 调休 make-up workdays.
 *
 * <p>A year with data (even an empty list) is "known". A year without data falls back to plain
 * Monday–Friday, which is certainly wrong around 元旦 and 春节, so every answer says whether any
 * year it depends on was missing. The years an answer depends on are taken to be all calendar
 * years from the earlier to the later of the dates involved (including the start date's year even
 * though the start day itself is not counted): that is conservative and easy to explain.
 *
 * <p>SQL has the same rule as a table, for reports: task-service's {@code reporting.working_day}
 * (migration V5), one row per day with a running count of working days; task-service's
 * WorkingDayTableTest checks that the two agree on every day and on random date pairs.
 *
 * <p>Immutable and thread-safe. Each known year is precomputed into a prefix-sum table, so a
 * query costs one hash lookup and O(1) work per calendar year it spans, plus at most one year of
 * day-by-day stepping in {@link #addWorkingDays}; the walk itself uses primitives only.
 */
public final class WorkingDayCalculator {

    /** A date computed by the calculator, and whether every year it depended on had data. */
    public record Result(LocalDate date, boolean calendarComplete, List<Integer> missingYears) {

        /** Copies {@code missingYears} and checks it agrees with {@code calendarComplete}. */
        public Result {
            Objects.requireNonNull(date, "date");
            missingYears = List.copyOf(missingYears);
            if (calendarComplete != missingYears.isEmpty()) {
                throw new IllegalArgumentException("calendarComplete must be true exactly when missingYears is empty");
            }
        }
    }

    /** A number of working days, and whether every year it depended on had data. */
    public record Count(int days, boolean calendarComplete, List<Integer> missingYears) {

        /** Copies {@code missingYears} and checks it agrees with {@code calendarComplete}. */
        public Count {
            missingYears = List.copyOf(missingYears);
            if (calendarComplete != missingYears.isEmpty()) {
                throw new IllegalArgumentException("calendarComplete must be true exactly when missingYears is empty");
            }
        }
    }

    /**
     * Known year → table of length (days in year + 1) where entry i is the number of working days
     * among the first i days of the year. Working-day tests and range counts are then differences
     * of two entries. Never mutated after construction.
     */
    private final Map<Integer, int[]> workingBefore;

    /**
     * Builds the calculator from each known year's departures from Monday–Friday. A year mapped to
     * an empty list is known and has no departures.
     *
     * @throws IllegalArgumentException if a day is not in the year it is listed under, or a date
     *     is listed twice
     */
    public WorkingDayCalculator(Map<Integer, List<CalendarDay>> departuresByYear) {
        Objects.requireNonNull(departuresByYear, "departuresByYear");
        Map<Integer, int[]> tables = new HashMap<>();
        departuresByYear.forEach((year, days) -> {
            Objects.requireNonNull(year, "year");
            Objects.requireNonNull(days, () -> "departures of year " + year);
            tables.put(year, table(year, days));
        });
        this.workingBefore = tables;
    }

    private static int[] table(int year, List<CalendarDay> days) {
        if (year < Year.MIN_VALUE || year > Year.MAX_VALUE) {
            throw new IllegalArgumentException("Year " + year + " is outside the supported range");
        }
        int length = Year.isLeap(year) ? 366 : 365;
        int firstDow = dayOfWeekIndex(LocalDate.of(year, 1, 1));
        boolean[] working = new boolean[length];
        for (int i = 0; i < length; i++) {
            working[i] = (firstDow + i) % 7 < 5;
        }
        boolean[] listed = new boolean[length];
        for (CalendarDay day : days) {
            Objects.requireNonNull(day, () -> "a departure of year " + year + " is null");
            if (day.date().getYear() != year) {
                throw new IllegalArgumentException("Calendar day " + day.date() + " is listed under year " + year);
            }
            int index = day.date().getDayOfYear() - 1;
            // Two entries for one date would make the answer depend on list order.
            if (listed[index]) {
                throw new IllegalArgumentException("Calendar day " + day.date() + " is listed twice");
            }
            listed[index] = true;
            working[index] = !day.offDay();
        }
        int[] before = new int[length + 1];
        for (int i = 0; i < length; i++) {
            before[i + 1] = before[i] + (working[i] ? 1 : 0);
        }
        return before;
    }

    /** Whether {@code date} is a working day (Monday–Friday if its year has no data). */
    public boolean isWorkingDay(LocalDate date) {
        Objects.requireNonNull(date, "date");
        return isWorking(workingBefore.get(date.getYear()), date.getDayOfYear() - 1, dayOfWeekIndex(date));
    }

    /** Whether the calculator has data for {@code year}. */
    public boolean hasYear(int year) {
        return workingBefore.containsKey(year);
    }

    /**
     * The {@code n}-th working day after {@code from}, the start day itself not counted; for
     * {@code n == 0}, {@code from} itself, even if it is not a working day.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws DateTimeException if the answer would be after {@link LocalDate#MAX}
     */
    public Result addWorkingDays(LocalDate from, int n) {
        Objects.requireNonNull(from, "from");
        if (n < 0) {
            throw new IllegalArgumentException("Number of working days must not be negative: " + n);
        }
        if (n == 0) {
            List<Integer> missing = missingYears(from.getYear(), from.getYear());
            return new Result(from, missing.isEmpty(), missing);
        }
        // Position on the day after `from`: year, 0-based day-of-year index, day of week (0 = Monday).
        int year = from.getYear();
        int length = lengthOfYear(year);
        int index = from.getDayOfYear();
        int dow = (dayOfWeekIndex(from) + 1) % 7;
        int[] before = workingBefore.get(year);
        int remaining = n;
        while (true) {
            if (index == length) {
                if (year == Year.MAX_VALUE) {
                    throw new DateTimeException(n + " working days after " + from + " is beyond " + LocalDate.MAX);
                }
                year++;
                length = lengthOfYear(year);
                index = 0;
                before = workingBefore.get(year);
            }
            int restOfYear = countIn(before, index, length - 1, dow);
            if (restOfYear >= remaining) {
                break;
            }
            // Skip the rest of this year in one step: the answer lies in a later year.
            remaining -= restOfYear;
            dow = (dow + length - index) % 7;
            index = length;
        }
        // The answer is in this year: step day by day, at most one year's worth.
        while (true) {
            if (isWorking(before, index, dow) && --remaining == 0) {
                break;
            }
            index++;
            dow = dow == 6 ? 0 : dow + 1;
        }
        List<Integer> missing = missingYears(from.getYear(), year);
        return new Result(LocalDate.ofYearDay(year, index + 1), missing.isEmpty(), missing);
    }

    /**
     * Working days in [{@code from}, {@code to}], both ends inclusive.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}
     */
    public Count countWorkingDays(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        List<Integer> missing = missingYears(from.getYear(), to.getYear());
        return new Count(countInclusive(from, to), missing.isEmpty(), missing);
    }

    /**
     * Signed working days from {@code from} to {@code to}: the working days after {@code from} up
     * to and including {@code to}; 0 when equal; when {@code to} is earlier, minus the working
     * days after {@code to} up to and including {@code from}. So with {@code from} = due date and
     * {@code to} = today, a positive value is "N working days overdue", and with {@code from} =
     * today and {@code to} = due date it is "due in N working days".
     */
    public Count workingDaysBetween(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        int days;
        List<Integer> missing;
        if (from.isBefore(to)) {
            days = countInclusive(from, to) - (isWorkingDay(from) ? 1 : 0);
            missing = missingYears(from.getYear(), to.getYear());
        } else if (to.isBefore(from)) {
            days = -(countInclusive(to, from) - (isWorkingDay(to) ? 1 : 0));
            missing = missingYears(to.getYear(), from.getYear());
        } else {
            days = 0;
            missing = missingYears(from.getYear(), from.getYear());
        }
        return new Count(days, missing.isEmpty(), missing);
    }

    /** Working days in [from, to], from ≤ to, one year-sized step at a time. */
    private int countInclusive(LocalDate from, LocalDate to) {
        int year = from.getYear();
        int index = from.getDayOfYear() - 1;
        int dow = dayOfWeekIndex(from);
        long total = 0;
        while (true) {
            int length = lengthOfYear(year);
            boolean last = year == to.getYear();
            total += countIn(workingBefore.get(year), index, last ? to.getDayOfYear() - 1 : length - 1, dow);
            if (last) {
                // Only a range of millions of years overflows an int; fail loudly rather than wrap.
                return Math.toIntExact(total);
            }
            dow = (dow + length - index) % 7;
            index = 0;
            year++;
        }
    }

    /** The years in [first, last] without data, ascending; List.of() when none (no allocation). */
    private List<Integer> missingYears(int first, int last) {
        List<Integer> missing = null;
        for (int year = first; year <= last; year++) {
            if (!workingBefore.containsKey(year)) {
                if (missing == null) {
                    missing = new ArrayList<>();
                }
                missing.add(year);
            }
        }
        return missing == null ? List.of() : missing;
    }

    /**
     * Working days among the day-of-year indexes [first, last] of one year, the day at
     * {@code first} falling on {@code firstDow}; {@code before} is null for a year without data.
     */
    private static int countIn(int[] before, int first, int last, int firstDow) {
        if (before != null) {
            return before[last + 1] - before[first];
        }
        int days = last - first + 1;
        int count = days / 7 * 5;
        for (int i = 0, rest = days % 7; i < rest; i++) {
            if ((firstDow + i) % 7 < 5) {
                count++;
            }
        }
        return count;
    }

    private static boolean isWorking(int[] before, int index, int dow) {
        return before != null ? before[index + 1] > before[index] : dow < 5;
    }

    /** 0 = Monday … 6 = Sunday, so "dow < 5" means Monday–Friday. */
    private static int dayOfWeekIndex(LocalDate date) {
        return date.getDayOfWeek().getValue() - 1;
    }

    private static int lengthOfYear(int year) {
        return Year.isLeap(year) ? 366 : 365;
    }
}
