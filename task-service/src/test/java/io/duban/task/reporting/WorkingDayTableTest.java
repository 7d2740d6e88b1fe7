package io.duban.task.reporting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.task.calendar.CalendarService;
import io.duban.task.support.ReportRole;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * reporting.working_day, the calendar as SQL reads it, against the Java rule (WorkingDayCalculator
 * of the calendar the service has loaded): every day of the table, and the README's recipes on
 * random date pairs around 春节 and 国庆 and into 2027, a year without data; again after an import.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class WorkingDayTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate FIRST = LocalDate.of(2000, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2099, 12, 31);

    /** Days where the arrangement departs from Mon-Fri the most: 春节 and 国庆 of each year, and New Year 2027. */
    private static final List<LocalDate> HOLIDAYS = List.of(LocalDate.of(2024, 2, 10), LocalDate.of(2024, 10, 1),
            LocalDate.of(2025, 1, 28), LocalDate.of(2025, 10, 1), LocalDate.of(2026, 2, 15),
            LocalDate.of(2026, 10, 1), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 6));

    @Inject
    CalendarService calendar;

    @AfterEach
    void restoreTheShippedYear() {
        putYear(HolidayCnFormat.shippedJson(2026));
    }

    @Test
    void everyDayOfTheTableAgreesWithTheCalculator() throws SQLException {
        WorkingDayCalculator java = calendar.calculator();
        assertTrue(java.hasYear(2026) && !java.hasYear(2027), "2026 is shipped, 2027 has no data");
        assertTableAgrees(java);
    }

    @Test
    void theReadmeRecipesAgreeWithTheCalculatorOnRandomDatePairs() throws SQLException {
        long seed = System.nanoTime();
        assertPairsAgree(calendar.calculator(), seed);
    }

    @Test
    void aCalendarImportThroughTheApiRefreshesTheTable() throws Exception {
        // The office corrects 2026: Saturday 10 October is no longer a make-up workday, and
        // Monday 2 November becomes a holiday.
        ObjectNode corrected = (ObjectNode) JSON.readTree(HolidayCnFormat.shippedJson(2026));
        ArrayNode days = (ArrayNode) corrected.get("days");
        for (int i = days.size() - 1; i >= 0; i--) {
            if (days.get(i).get("date").asText().equals("2026-10-10")) {
                days.remove(i);
            }
        }
        days.addObject().put("date", "2026-11-02").put("name", "测试调整").put("isOffDay", true);
        putYear(JSON.writeValueAsString(corrected));

        WorkingDayCalculator changed = calendar.calculator();
        assertFalse(changed.isWorkingDay(LocalDate.of(2026, 10, 10)));
        assertEquals(List.of(false, false), working("2026-10-10", "2026-11-02"));
        assertTableAgrees(changed);
        assertPairsAgree(changed, System.nanoTime());

        putYear(HolidayCnFormat.shippedJson(2026));
        assertEquals(List.of(true, true), working("2026-10-10", "2026-11-02"));
        assertTableAgrees(calendar.calculator());
    }

    @Test
    void aChangeMadeInSqlRefreshesTheTableAtCommitAndARollbackLeavesItAlone() throws SQLException {
        try (Connection c = TestDatabase.forModule("task-service").admin(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.executeUpdate("UPDATE task.calendar_day SET off_day = true WHERE date = '2026-10-10'");
                assertTrue(workingIn(s, "2026-10-10"), "deferred: the table changes when the transaction commits");
                // Runs the pending refresh now, as the commit would.
                s.execute("SET CONSTRAINTS ALL IMMEDIATE");
                assertFalse(workingIn(s, "2026-10-10"));
            } finally {
                c.rollback();
            }
        }
        assertEquals(List.of(true), working("2026-10-10"));
        assertTableAgrees(calendar.calculator());
    }

    private static boolean workingIn(Statement s, String day) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT working FROM task.working_day WHERE day = '" + day + "'")) {
            assertTrue(rs.next());
            return rs.getBoolean(1);
        }
    }

    private static List<Boolean> working(String... days) {
        List<Boolean> out = new ArrayList<>();
        for (String day : days) {
            out.add((Boolean) ReportRole.row("SELECT working FROM reporting.working_day WHERE day = ?",
                    LocalDate.parse(day)).get("working"));
        }
        return out;
    }

    private static void putYear(String json) {
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(json)
                .put("/api/v1/calendar/2026").then().statusCode(200);
    }

    /**
     * Every day of 2000..2099: working as isWorkingDay, calendar_known as hasYear, and working_index
     * the working days from 2000-01-01 up to and including the day.
     */
    private static void assertTableAgrees(WorkingDayCalculator java) throws SQLException {
        List<String> wrong = new ArrayList<>();
        LocalDate expected = FIRST;
        try (Connection c = ReportRole.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT day, working, working_index, calendar_known"
                        + " FROM reporting.working_day ORDER BY day")) {
            while (rs.next()) {
                LocalDate day = rs.getObject(1, LocalDate.class);
                assertEquals(expected, day, "one row per day, none missing");
                expected = day.plusDays(1);
                boolean working = java.isWorkingDay(day);
                int index = java.countWorkingDays(FIRST, day).days();
                if (rs.getBoolean(2) != working || rs.getInt(3) != index || rs.getBoolean(4) != java.hasYear(day.getYear())) {
                    wrong.add(day + ": sql " + rs.getBoolean(2) + "/" + rs.getInt(3) + "/" + rs.getBoolean(4) + ", java "
                            + working + "/" + index + "/" + java.hasYear(day.getYear()));
                }
            }
        }
        assertEquals(LAST.plusDays(1), expected, "the table ends on " + LAST);
        assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())), wrong.size() + " days disagree");
    }

    /**
     * Pairs (a, b, n) of dates in 2024..2027, half of them around a holiday, computed with the
     * README's recipes as report-service would: working days in [a, b] and from a to b, the n-th
     * working day after a, and whether the calendar covers the range.
     */
    private static void assertPairsAgree(WorkingDayCalculator java, long seed) throws SQLException {
        Random random = new Random(seed);
        LocalDate start = LocalDate.of(2024, 1, 1);
        int span = (int) ChronoUnit.DAYS.between(start, LocalDate.of(2027, 12, 31));
        int count = 3000;
        String[] a = new String[count];
        String[] b = new String[count];
        Integer[] n = new Integer[count];
        for (int i = 0; i < count; i++) {
            LocalDate from = i % 2 == 0
                    ? HOLIDAYS.get(random.nextInt(HOLIDAYS.size())).plusDays(random.nextInt(25) - 12)
                    : start.plusDays(random.nextInt(span + 1));
            LocalDate to = i % 4 == 3 ? start.plusDays(random.nextInt(span + 1)) : from.plusDays(random.nextInt(41) - 20);
            a[i] = from.toString();
            b[i] = to.toString();
            n[i] = 1 + random.nextInt(i % 10 == 0 ? 400 : 30);
        }
        String sql = """
                SELECT t.working_index - f.working_index AS between_days,
                       hi.working_index - lo.working_index + lo.working::int AS inclusive_days,
                       (SELECT w.day FROM reporting.working_day w
                         WHERE w.working AND w.working_index = f.working_index + p.n) AS nth_after,
                       NOT EXISTS (SELECT 1 FROM reporting.working_day k
                                    WHERE k.day BETWEEN lo.day AND hi.day AND NOT k.calendar_known) AS complete
                  FROM unnest(?::date[], ?::date[], ?::int[]) WITH ORDINALITY AS p(a, b, n, i)
                  JOIN reporting.working_day f ON f.day = p.a
                  JOIN reporting.working_day t ON t.day = p.b
                  JOIN reporting.working_day lo ON lo.day = least(p.a, p.b)
                  JOIN reporting.working_day hi ON hi.day = greatest(p.a, p.b)
                 ORDER BY p.i
                """;
        List<String> wrong = new ArrayList<>();
        try (Connection c = ReportRole.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", a));
            s.setArray(2, c.createArrayOf("text", b));
            s.setArray(3, c.createArrayOf("int4", n));
            try (ResultSet rs = s.executeQuery()) {
                for (int i = 0; i < count; i++) {
                    assertTrue(rs.next(), "a row per pair");
                    LocalDate from = LocalDate.parse(a[i]);
                    LocalDate to = LocalDate.parse(b[i]);
                    LocalDate lo = from.isBefore(to) ? from : to;
                    LocalDate hi = from.isBefore(to) ? to : from;
                    WorkingDayCalculator.Count inclusive = java.countWorkingDays(lo, hi);
                    String expected = java.workingDaysBetween(from, to).days() + " " + inclusive.days() + " "
                            + java.addWorkingDays(from, n[i]).date() + " " + inclusive.calendarComplete();
                    String actual = rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getObject(3, LocalDate.class) + " "
                            + rs.getBoolean(4);
                    if (!expected.equals(actual)) {
                        wrong.add(from + ".." + to + " n=" + n[i] + ": sql " + actual + ", java " + expected);
                    }
                }
                assertFalse(rs.next());
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())), wrong.size() + " of " + count
                + " pairs disagree (seed " + seed + ")");
    }
}
