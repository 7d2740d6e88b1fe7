package io.duban.common.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.calendar.WorkingDayCalculator.Count;
import io.duban.common.calendar.WorkingDayCalculator.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The working-day calculator against the real State Council data this module ships (2024–2026).
 *
 * <p>Three independent sources of truth are used so one bug cannot hide behind another: the
 * files' entries read here with plain Jackson (not through {@link HolidayCnFormat}), facts typed
 * in by hand from the notices, and a naive day-by-day oracle for exhaustive cross-checks.
 */
class WorkingDayCalculatorTest {

    static final int[] DATA_YEARS = {2024, 2025, 2026};

    private static WorkingDayCalculator calc;
    /** date → isOffDay, straight from the files, for the oracle. */
    private static Map<LocalDate, Boolean> rawDepartures;

    @BeforeAll
    static void load() throws IOException {
        Map<Integer, List<CalendarDay>> byYear = new HashMap<>();
        rawDepartures = new HashMap<>();
        for (int year : DATA_YEARS) {
            byYear.put(year, parsed(year).days());
            for (JsonNode day : rawDays(year)) {
                rawDepartures.put(LocalDate.parse(day.get("date").textValue()), day.get("isOffDay").booleanValue());
            }
        }
        calc = new WorkingDayCalculator(byYear);
    }

    /** The shipped file of the year, on this module's class path (src/main/resources/calendar/holidays-cn). */
    static Path file(int year) {
        try {
            var url = WorkingDayCalculatorTest.class.getResource("/calendar/holidays-cn/" + year + ".json");
            assertTrue(url != null, "holiday data of " + year + " is not shipped");
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static HolidayCnFormat.Year parsed(int year) throws IOException {
        try (InputStream in = Files.newInputStream(file(year))) {
            return HolidayCnFormat.parse(in);
        }
    }

    private static List<JsonNode> rawDays(int year) throws IOException {
        List<JsonNode> days = new ArrayList<>();
        new ObjectMapper().readTree(file(year).toFile()).get("days").forEach(days::add);
        return days;
    }

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    // ---------------------------------------------------------------- every entry of the files

    @TestFactory
    Stream<DynamicTest> everyHolidayAndMakeUpDayOfTheFiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (int year : DATA_YEARS) {
            for (JsonNode day : rawDays(year)) {
                LocalDate date = d(day.get("date").textValue());
                boolean offDay = day.get("isOffDay").booleanValue();
                String label = date + " " + day.get("name").textValue() + (offDay ? " off" : " make-up workday");
                tests.add(dynamicTest(label, () -> assertEquals(!offDay, calc.isWorkingDay(date))));
            }
        }
        // Guards against the loop silently testing nothing (e.g. an empty or truncated file).
        assertEquals(36 + 33 + 39, tests.size());
        return tests.stream();
    }

    @Test
    void everyOtherDayOfTheKnownYearsFollowsMondayToFriday() {
        for (int year : DATA_YEARS) {
            for (LocalDate day = LocalDate.of(year, 1, 1); day.getYear() == year; day = day.plusDays(1)) {
                if (!rawDepartures.containsKey(day)) {
                    assertEquals(day.getDayOfWeek().getValue() <= 5, calc.isWorkingDay(day), day.toString());
                }
            }
        }
    }

    @Test
    void everyMakeUpDayInTheFilesIsASaturdayOrSunday() {
        rawDepartures.forEach((date, offDay) -> {
            if (!offDay) {
                assertTrue(date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY,
                        date.toString());
            }
        });
    }

    // ---------------------------------------------------------------- facts typed in by hand

    /** Each checked against the notices and the files; weekday given to make a wrong date obvious. */
    @ParameterizedTest(name = "{0} ({1}) working={2}")
    @CsvSource({
        // 2024
        "2024-01-01, MONDAY, false",   // 元旦
        "2024-02-04, SUNDAY, true",    // 春节 make-up
        "2024-02-18, SUNDAY, true",    // 春节 make-up
        "2024-10-07, MONDAY, false",   // 国庆节
        "2024-10-12, SATURDAY, true",  // 国庆节 make-up
        // 2025
        "2025-01-01, WEDNESDAY, false",
        "2025-01-26, SUNDAY, true",    // 春节 make-up
        "2025-01-27, MONDAY, true",    // plain workday between make-up day and holiday
        "2025-01-28, TUESDAY, false",  // 春节 (除夕)
        "2025-02-04, TUESDAY, false",  // last day of 春节
        "2025-02-08, SATURDAY, true",  // 春节 make-up
        "2025-09-28, SUNDAY, true",    // 国庆节、中秋节 make-up
        "2025-10-01, WEDNESDAY, false",
        "2025-10-02, THURSDAY, false",
        "2025-10-03, FRIDAY, false",
        "2025-10-04, SATURDAY, false",
        "2025-10-05, SUNDAY, false",
        "2025-10-06, MONDAY, false",
        "2025-10-07, TUESDAY, false",
        "2025-10-08, WEDNESDAY, false", // 8 days off in 2025: 国庆 and 中秋 merged
        "2025-10-09, THURSDAY, true",
        "2025-10-11, SATURDAY, true",  // make-up
        "2025-10-12, SUNDAY, false",   // plain weekend
        // 2026
        "2026-01-01, THURSDAY, false",
        "2026-01-02, FRIDAY, false",
        "2026-01-04, SUNDAY, true",    // 元旦 make-up
        "2026-02-14, SATURDAY, true",  // 春节 make-up
        "2026-02-15, SUNDAY, false",
        "2026-02-16, MONDAY, false",
        "2026-02-17, TUESDAY, false",
        "2026-02-18, WEDNESDAY, false",
        "2026-02-19, THURSDAY, false",
        "2026-02-20, FRIDAY, false",
        "2026-02-21, SATURDAY, false",
        "2026-02-22, SUNDAY, false",
        "2026-02-23, MONDAY, false",   // 9 days of 春节
        "2026-02-24, TUESDAY, true",
        "2026-02-28, SATURDAY, true",  // 春节 make-up
        "2026-09-20, SUNDAY, true",    // 国庆节 make-up
        "2026-09-25, FRIDAY, false",   // 中秋节, separate from 国庆 in 2026
        "2026-09-30, WEDNESDAY, true",
        "2026-10-01, THURSDAY, false",
        "2026-10-07, WEDNESDAY, false",
        "2026-10-08, THURSDAY, true",
        "2026-10-10, SATURDAY, true",  // 国庆节 make-up
        "2026-10-11, SUNDAY, false",
    })
    void knownFacts(LocalDate date, DayOfWeek dayOfWeek, boolean working) {
        assertEquals(dayOfWeek, date.getDayOfWeek(), "typo in the fact table");
        assertEquals(working, calc.isWorkingDay(date));
    }

    @Test
    void wholeYearTotals() {
        // Mon–Fri days, minus holidays on weekdays, plus make-up days:
        // 2024: 262 - 19 + 8 = 251; 2025: 261 - 18 + 5 = 248; 2026: 261 - 19 + 6 = 248.
        // 251 (2024) and 248 (2025) are also the totals commonly quoted from the notices.
        assertEquals(new Count(251, true, List.of()), calc.countWorkingDays(d("2024-01-01"), d("2024-12-31")));
        assertEquals(new Count(248, true, List.of()), calc.countWorkingDays(d("2025-01-01"), d("2025-12-31")));
        assertEquals(new Count(248, true, List.of()), calc.countWorkingDays(d("2026-01-01"), d("2026-12-31")));
    }

    // ---------------------------------------------------------------- addWorkingDays

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource({
        // The example of the issue: 1–7 Oct 2026 off, Thu 8 and Fri 9 work, Sat 10 is a make-up day.
        "2026-09-30, 1, 2026-10-08",
        "2026-09-30, 2, 2026-10-09",
        "2026-09-30, 3, 2026-10-10",
        "2026-09-30, 4, 2026-10-12",  // Sun 11 is a plain weekend
        // 2025 → 2026: 1–3 Jan 2026 off, Sun 4 Jan is the 元旦 make-up day.
        "2025-12-31, 1, 2026-01-04",
        "2025-12-31, 2, 2026-01-05",
        // 2024 → 2025: Wed 1 Jan 2025 off.
        "2024-12-30, 1, 2024-12-31",
        "2024-12-31, 1, 2025-01-02",
        // Start on a holiday.
        "2026-10-03, 1, 2026-10-08",
        "2025-01-28, 1, 2025-02-05",  // 28 Jan – 4 Feb 2025 off
        "2025-10-01, 1, 2025-10-09",  // 1–8 Oct 2025 off
        // Start on a make-up day.
        "2026-10-10, 1, 2026-10-12",
        "2025-01-26, 1, 2025-01-27",
        "2025-01-26, 2, 2025-02-05",
        // Into a make-up day and across the whole of 春节 2026.
        "2026-02-13, 1, 2026-02-14",
        "2026-02-13, 2, 2026-02-24",
        // Across a whole year and a half: from the 2024 元旦 holiday, 251 + 248 + 248 days
        // (the three annual totals) end on the last working day of 2026, Thursday 31 Dec.
        "2024-01-01, 747, 2026-12-31",
        "2024-01-01, 746, 2026-12-30",
    })
    void addWorkingDaysWithinTheData(LocalDate from, int n, LocalDate expected) {
        assertEquals(new Result(expected, true, List.of()), calc.addWorkingDays(from, n));
    }

    @Test
    void zeroWorkingDaysReturnsTheStartUnchangedEvenOnAHoliday() {
        assertEquals(new Result(d("2026-10-01"), true, List.of()), calc.addWorkingDays(d("2026-10-01"), 0));
        assertEquals(new Result(d("2026-10-10"), true, List.of()), calc.addWorkingDays(d("2026-10-10"), 0));
        assertEquals(new Result(d("2027-03-06"), false, List.of(2027)), calc.addWorkingDays(d("2027-03-06"), 0));
    }

    @Test
    void negativeOrNullArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> calc.addWorkingDays(d("2026-01-05"), -1));
        assertThrows(IllegalArgumentException.class, () -> calc.addWorkingDays(d("2026-01-05"), Integer.MIN_VALUE));
        assertThrows(NullPointerException.class, () -> calc.addWorkingDays(null, 1));
        assertThrows(NullPointerException.class, () -> calc.isWorkingDay(null));
        assertThrows(NullPointerException.class, () -> calc.countWorkingDays(null, d("2026-01-05")));
        assertThrows(NullPointerException.class, () -> calc.workingDaysBetween(d("2026-01-05"), null));
    }

    @Test
    void largeNRunsIntoYearsWithoutData() {
        // 2500 working days ≈ 10 years; the Python-free oracle agrees, see the cross-checks below.
        Result result = calc.addWorkingDays(d("2024-01-01"), 2500);
        assertEquals(oracleAdd(d("2024-01-01"), 2500), result.date());
        assertEquals(d("2033-09-20"), result.date());
        assertFalse(result.calendarComplete());
        assertEquals(List.of(2027, 2028, 2029, 2030, 2031, 2032, 2033), result.missingYears());
        assertEquals(2500, calc.workingDaysBetween(d("2024-01-01"), result.date()).days());
    }

    @Test
    void hugeNIsCheapAndTheEndOfTimeIsAnError() {
        // Whole years are skipped in one step, so even 50 million working days (≈ 190,000 years)
        // are answered at once; 1–2 Jan 2026 are holidays, so both ranges hold exactly n days.
        int n = 50_000_000;
        Result far = calc.addWorkingDays(d("2026-01-01"), n);
        assertTrue(far.date().getYear() > 190_000, far.date().toString());
        assertTrue(calc.isWorkingDay(far.date()));
        assertEquals(n, calc.countWorkingDays(d("2026-01-02"), far.date()).days());
        assertEquals(far.date().getYear() - 2026, far.missingYears().size());
        assertThrows(DateTimeException.class, () -> calc.addWorkingDays(LocalDate.MAX.minusDays(3), 10));
    }

    @Test
    void yearWithoutDataFallsBackToMondayToFridayAndSaysSo() {
        assertFalse(calc.hasYear(2027));
        assertTrue(calc.hasYear(2026));
        // Fri 1 Jan 2027 counts as a working day although 元旦 will surely be off: hence the flag.
        assertTrue(calc.isWorkingDay(d("2027-01-01")));
        assertFalse(calc.isWorkingDay(d("2027-01-02")));
        assertEquals(new Result(d("2027-01-01"), false, List.of(2027)), calc.addWorkingDays(d("2026-12-31"), 1));
        assertEquals(new Result(d("2027-01-04"), false, List.of(2027)), calc.addWorkingDays(d("2027-01-01"), 1));
        assertEquals(new Result(d("2027-01-08"), false, List.of(2027)), calc.addWorkingDays(d("2027-01-01"), 5));
        // Missing years are listed ascending, all of them.
        assertEquals(new Result(d("2029-04-19"), false, List.of(2027, 2028, 2029)),
                calc.addWorkingDays(d("2026-12-31"), 600));
        // A start in a year without data is flagged even if the answer lands in a known year.
        assertEquals(new Result(d("2024-01-02"), false, List.of(2023)), calc.addWorkingDays(d("2023-12-29"), 1));
    }

    @Test
    void gapYearAndEmptyYear() {
        WorkingDayCalculator gap = new WorkingDayCalculator(Map.of(2024, List.of(), 2026, List.of()));
        // An empty list means "known, no departures": plain Mon–Fri but complete.
        assertEquals(new Count(262, true, List.of()), gap.countWorkingDays(d("2024-01-01"), d("2024-12-31")));
        assertEquals(new Count(262 + 261 + 261, false, List.of(2025)),
                gap.countWorkingDays(d("2024-01-01"), d("2026-12-31")));
        assertEquals(new Result(d("2026-01-01"), false, List.of(2025)), gap.addWorkingDays(d("2024-12-31"), 262));
    }

    // ---------------------------------------------------------------- countWorkingDays

    @Test
    void countWorkingDaysOctober2026() {
        // October 2026 starts on a Thursday: 31 days = 22 weekdays (five Thursdays and Fridays,
        // four each of Mon/Tue/Wed). Off on weekdays: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 (−5);
        // make-up: Sat 10 (+1). 22 − 5 + 1 = 18.
        assertEquals(new Count(18, true, List.of()), calc.countWorkingDays(d("2026-10-01"), d("2026-10-31")));
    }

    @Test
    void countWorkingDaysFebruary2026() {
        // February 2026 starts on a Sunday: 28 days = 20 weekdays. Off on weekdays: 16–20 and
        // Mon 23 (−6); make-up: Sat 14 and Sat 28 (+2). 20 − 6 + 2 = 16.
        assertEquals(new Count(16, true, List.of()), calc.countWorkingDays(d("2026-02-01"), d("2026-02-28")));
    }

    @Test
    void countWorkingDaysIncludesBothEnds() {
        assertEquals(1, calc.countWorkingDays(d("2026-10-08"), d("2026-10-08")).days());
        assertEquals(0, calc.countWorkingDays(d("2026-10-07"), d("2026-10-07")).days());
        assertEquals(1, calc.countWorkingDays(d("2026-10-10"), d("2026-10-10")).days());
        // Thu 8, Fri 9 and make-up Sat 10: both ends are working days and both count.
        assertEquals(3, calc.countWorkingDays(d("2026-10-08"), d("2026-10-10")).days());
        assertEquals(0, calc.countWorkingDays(d("2026-10-01"), d("2026-10-07")).days());
        // Across New Year: Wed 31 Dec 2025 and make-up Sun 4 Jan 2026.
        assertEquals(new Count(2, true, List.of()), calc.countWorkingDays(d("2025-12-31"), d("2026-01-04")));
    }

    @Test
    void countWorkingDaysRefusesAReversedRange() {
        assertThrows(IllegalArgumentException.class, () -> calc.countWorkingDays(d("2026-10-02"), d("2026-10-01")));
    }

    @Test
    void countWorkingDaysInAYearWithoutData() {
        // January 2027 starts on a Friday: 31 days = 21 weekdays, no data to correct them.
        assertEquals(new Count(21, false, List.of(2027)), calc.countWorkingDays(d("2027-01-01"), d("2027-01-31")));
        // December 2026 has 23 working days (no departures; Dec 1 is a Tuesday).
        assertEquals(new Count(23 + 21, false, List.of(2027)),
                calc.countWorkingDays(d("2026-12-01"), d("2027-01-31")));
    }

    // ---------------------------------------------------------------- workingDaysBetween

    @Test
    void workingDaysBetweenSignAndZero() {
        assertEquals(new Count(0, true, List.of()), calc.workingDaysBetween(d("2026-10-08"), d("2026-10-08")));
        assertEquals(new Count(0, true, List.of()), calc.workingDaysBetween(d("2026-10-01"), d("2026-10-01")));
        assertEquals(new Count(3, true, List.of()), calc.workingDaysBetween(d("2026-09-30"), d("2026-10-10")));
        assertEquals(new Count(-3, true, List.of()), calc.workingDaysBetween(d("2026-10-10"), d("2026-09-30")));
        // Only holidays in between: no working day has passed.
        assertEquals(0, calc.workingDaysBetween(d("2026-09-30"), d("2026-10-07")).days());
        assertEquals(0, calc.workingDaysBetween(d("2026-10-07"), d("2026-09-30")).days());
        // Overdue use: due Wed 30 Sep 2026, today Thu 8 Oct → 1 working day overdue.
        assertEquals(1, calc.workingDaysBetween(d("2026-09-30"), d("2026-10-08")).days());
        // Due-in use: today Fri 25 Sep (中秋 holiday), due Wed 30 Sep → Mon 28, Tue 29, Wed 30.
        assertEquals(3, calc.workingDaysBetween(d("2026-09-25"), d("2026-09-30")).days());
        assertEquals(new Count(-1, false, List.of(2027)), calc.workingDaysBetween(d("2027-01-01"), d("2026-12-31")));
        assertEquals(new Count(0, false, List.of(2027)), calc.workingDaysBetween(d("2027-01-01"), d("2027-01-01")));
    }

    // ---------------------------------------------------------------- exhaustive cross-checks

    @Test
    void addWorkingDaysAgreesWithTheOracleAcrossAllYears() {
        // Every start day from mid-2023 (no data) to early 2027 (no data), n up to 40.
        for (LocalDate from = d("2023-12-01"); !from.isAfter(d("2027-01-31")); from = from.plusDays(1)) {
            for (int n = 0; n <= 40; n++) {
                Result result = calc.addWorkingDays(from, n);
                assertEquals(oracleAdd(from, n), result.date(), from + " + " + n);
                assertEquals(oracleMissing(from, result.date()), result.missingYears(), from + " + " + n);
                assertEquals(result.missingYears().isEmpty(), result.calendarComplete());
                assertEquals(n, calc.workingDaysBetween(from, result.date()).days(), from + " + " + n);
            }
        }
    }

    @Test
    void countsAgreeWithTheOracleForManyRanges() {
        List<LocalDate> points = new ArrayList<>();
        for (LocalDate day = d("2023-12-20"); !day.isAfter(d("2027-01-10")); day = day.plusDays(7)) {
            points.add(day);
            points.add(day.plusDays(3));
        }
        // Year edges matter most: add every day around each New Year.
        for (int year = 2024; year <= 2027; year++) {
            for (int offset = -3; offset <= 3; offset++) {
                points.add(LocalDate.of(year, 1, 1).plusDays(offset));
            }
        }
        for (LocalDate a : points) {
            for (LocalDate b : points) {
                Count between = calc.workingDaysBetween(a, b);
                Count reverse = calc.workingDaysBetween(b, a);
                assertEquals(-between.days(), reverse.days(), a + " / " + b);
                if (a.isAfter(b)) {
                    continue;
                }
                Count count = calc.countWorkingDays(a, b);
                assertEquals(oracleCount(a, b), count.days(), a + ".." + b);
                assertEquals(oracleMissing(a, b), count.missingYears(), a + ".." + b);
                assertEquals(count.days() - (calc.isWorkingDay(a) ? 1 : 0), between.days(), a + " → " + b);
                assertEquals(oracleMissing(a, b), between.missingYears(), a + " → " + b);
            }
        }
    }

    // ---------------------------------------------------------------- construction

    @Test
    void constructionRefusesInconsistentData() {
        CalendarDay nationalDay = new CalendarDay(d("2026-10-01"), "国庆节", true);
        assertThrows(IllegalArgumentException.class,
                () -> new WorkingDayCalculator(Map.of(2025, List.of(nationalDay))));
        assertThrows(IllegalArgumentException.class,
                () -> new WorkingDayCalculator(Map.of(2026, List.of(nationalDay, nationalDay))));
        assertThrows(IllegalArgumentException.class, () -> new WorkingDayCalculator(
                Map.of(2026, List.of(nationalDay, new CalendarDay(d("2026-10-01"), "国庆节", true)))));
        assertThrows(NullPointerException.class, () -> new WorkingDayCalculator(null));
        // A make-up day on a weekday cannot even be expressed.
        assertThrows(IllegalArgumentException.class, () -> new CalendarDay(d("2026-10-08"), "国庆节", false));
    }

    @Test
    void calculatorIsImmutable() {
        Map<Integer, List<CalendarDay>> source = new HashMap<>();
        List<CalendarDay> days = new ArrayList<>();
        source.put(2026, days);
        WorkingDayCalculator own = new WorkingDayCalculator(source);
        days.add(new CalendarDay(d("2026-10-01"), "国庆节", true));
        source.put(2027, List.of());
        assertTrue(own.isWorkingDay(d("2026-10-01")));
        assertFalse(own.hasYear(2027));
        Result result = own.addWorkingDays(d("2027-01-01"), 1);
        assertThrows(UnsupportedOperationException.class, () -> result.missingYears().add(2030));
    }

    @Test
    void resultAndCountRefuseAContradictoryFlag() {
        assertThrows(IllegalArgumentException.class, () -> new Result(d("2026-01-05"), true, List.of(2027)));
        assertThrows(IllegalArgumentException.class, () -> new Count(1, false, List.of()));
    }

    // ---------------------------------------------------------------- naive oracle

    private static boolean oracleWorking(LocalDate day) {
        Boolean offDay = rawDepartures.get(day);
        return offDay != null ? !offDay : day.getDayOfWeek().getValue() <= 5;
    }

    private static LocalDate oracleAdd(LocalDate from, int n) {
        LocalDate day = from;
        for (int left = n; left > 0; ) {
            day = day.plusDays(1);
            if (oracleWorking(day)) {
                left--;
            }
        }
        return day;
    }

    private static int oracleCount(LocalDate from, LocalDate to) {
        int count = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            count += oracleWorking(day) ? 1 : 0;
        }
        return count;
    }

    private static List<Integer> oracleMissing(LocalDate a, LocalDate b) {
        List<Integer> missing = new ArrayList<>();
        for (int year = Math.min(a.getYear(), b.getYear()); year <= Math.max(a.getYear(), b.getYear()); year++) {
            if (year < 2024 || year > 2026) {
                missing.add(year);
            }
        }
        return missing;
    }
}
