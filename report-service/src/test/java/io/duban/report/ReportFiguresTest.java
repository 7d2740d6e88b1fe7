package io.duban.report;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.paging.Cursors;
import io.duban.report.support.TaskData;
import io.duban.report.support.TaskSchemaTestResource;
import io.duban.testing.DevTokens;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every figure of the reports on a fixture of items with known outcomes, worked out by hand from
 * SPEC.md's counting rules and the shipped 2026 calendar: 20 September (Sunday) is a 调休 make-up
 * workday, 25–27 September 中秋 and 1–7 October 国庆 are off, 10 October (Saturday) is a make-up
 * workday; 春节 is 15–23 February off, with 14 and 28 February (Saturdays) make-up workdays.
 *
 * <p>Units: RL (the unit under test), RM (takes over what RL declines, leads the item RL assists), RK
 * (declines one item, which goes to RL). Period September 2026, as of the end of 12 October 2026
 * unless said otherwise. The fixture is the one task-service's CountingRulesFromViewsTest builds
 * through its API, plus an extension approved after the original deadline passed, an item returned
 * for rework and completed on the day of its deadline, and one across 春节.
 */
@QuarkusTest
@WithTestResource(value = TaskSchemaTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportFiguresTest {

    static final String SUPERVISOR = DevTokens.supervisor();
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Inject
    SettableClock clock;

    @BeforeAll
    void fixture() {
        build();
        clock.pin(LocalDate.of(2026, 10, 12));
    }

    /** The fixture, in an emptied task schema (other classes build it too). */
    static void build() {
        try (TaskData t = TaskData.fresh()) {
            t.unit("RL", "市住建局").unit("RM", "市交通局").unit("RK", "市水务局");
            t.item("before", "2026-08-28", "2026-09-10", "RL").accept("before", "RL", "2026-08-28")
                    .submit("before", "RL", "2026-09-03").approve("before", "2026-09-03 15:00", "GOOD");
            // 00:30 on 1 September in the office is still 31 August in UTC: the period is in office dates.
            t.item("onTime", "2026-09-01 00:30", "2026-09-15", "RL").accept("onTime", "RL", "2026-09-02")
                    .submit("onTime", "RL", "2026-09-10").approve("onTime", "2026-09-11", "EXCELLENT");
            t.item("late", "2026-09-01", "2026-09-10", "RL").accept("late", "RL", "2026-09-02")
                    .submit("late", "RL", "2026-09-11").approve("late", "2026-09-14", "FAIR");
            t.item("extended", "2026-09-02", "2026-09-09", "RL").accept("extended", "RL", "2026-09-03")
                    .extension("extended", "RL", "2026-09-07", "2026-09-18", "APPROVED", "2026-09-08")
                    .submit("extended", "RL", "2026-09-16").approve("extended", "2026-09-17", "GOOD");
            // Extended after its original deadline (8 Sep) had passed, then late against the new one.
            t.item("extendedLate", "2026-09-02 10:00", "2026-09-08", "RL").accept("extendedLate", "RL", "2026-09-02 11:00")
                    .extension("extendedLate", "RL", "2026-09-04", "2026-09-11", "APPROVED", "2026-09-10")
                    .submit("extendedLate", "RL", "2026-09-14").approve("extendedLate", "2026-09-15", "POOR");
            t.item("overdue", "2026-09-03", "2026-09-24", "RL").accept("overdue", "RL", "2026-09-03 10:00")
                    .progress("overdue", "RL", "2026-09-10", 40)
                    .extension("overdue", "RL", "2026-09-20", "2026-10-30", "REJECTED", "2026-09-21")
                    .urge("overdue", "RL", "2026-09-25").urge("overdue", "RL", "2026-10-09");
            t.item("declined", "2026-09-04", "2026-09-30", "RL").decline("declined", "RL", "2026-09-04 11:00")
                    .reassign("declined", "RL", "RM", "2026-09-07");
            t.item("takenOver", "2026-09-04", "2026-10-30", "RK").decline("takenOver", "RK", "2026-09-04 11:00")
                    .reassign("takenOver", "RK", "RL", "2026-09-07").accept("takenOver", "RL", "2026-09-07 11:00")
                    .urge("takenOver", "RL", "2026-09-30");
            t.item("assisted", "2026-09-08", "2026-09-29", "RM", "RL").accept("assisted", "RM", "2026-09-08 10:00")
                    .accept("assisted", "RL", "2026-09-08 10:00").urge("assisted", "RM", "2026-09-15")
                    .urge("assisted", "RL", "2026-09-15").submit("assisted", "RL", "2026-09-20")
                    .submit("assisted", "RM", "2026-09-28").approve("assisted", "2026-09-28 15:00", "GOOD");
            t.item("cancelled", "2026-09-09", "2026-09-30", "RL").cancel("cancelled", "2026-09-15");
            // Returned for rework on 18 Sep, approved on its deadline day.
            t.item("onDeadline", "2026-09-14", "2026-09-22", "RL").accept("onDeadline", "RL", "2026-09-14 10:00")
                    .submit("onDeadline", "RL", "2026-09-17").returnForRework("onDeadline", "2026-09-18")
                    .submit("onDeadline", "RL", "2026-09-21").approve("onDeadline", "2026-09-22 16:00", "GOOD");
            // October items, outside the September period: for the warning board.
            t.item("soon", "2026-10-09", "2026-10-14", "RL");
            t.item("quiet", "2026-10-02", "2026-12-31", "RM").weekly("quiet").accept("quiet", "RM", "2026-10-02 10:00");
            // Across 春节: dispatched 10 Feb, due 27 Feb, approved 2 Mar.
            t.item("spring", "2026-02-10", "2026-02-27", "RL").accept("spring", "RL", "2026-02-10 10:00")
                    .submit("spring", "RL", "2026-02-28").approve("spring", "2026-03-02", "FAIR");
        }
    }

    @AfterAll
    void resetClock() {
        clock.reset();
    }

    static JsonPath summary(String token, String from, String to, String asOf, String groupBy) {
        return given().auth().oauth2(token).accept("application/json")
                .queryParam("from", from).queryParam("to", to).queryParam("asOf", asOf).queryParam("groupBy", groupBy)
                .get("/api/v1/reports/summary").then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> row(JsonPath s, String key) {
        List<Map<String, Object>> rows = s.getList("rows");
        return rows.stream().filter(r -> key.equals(r.get("key"))).findFirst().orElse(null);
    }

    static double num(Map<String, Object> r, String field) {
        return ((Number) r.get(field)).doubleValue();
    }

    @Test
    void theUnitUnderTestHasEveryFigureAsWorkedOutByHand() {
        Map<String, Object> l = row(summary(SUPERVISOR, "2026-09-01", "2026-09-30", "2026-10-12", "unit"), "RL");
        assertEquals("市住建局", l.get("label"));
        // onTime, late, extended, extendedLate, overdue, onDeadline, and takenOver (RK declined it, RL holds it
        // since 7 Sep). Not: declined (RL declined it, RM holds it), assisted (assist), cancelled, before (28 Aug).
        assertEquals(7, l.get("received"));
        // onTime (11 Sep), late (14 Sep), extended (17 Sep), extendedLate (15 Sep), onDeadline (22 Sep);
        // before was approved in the period but received before it.
        assertEquals(5, l.get("completed"));
        // onTime 11 ≤ 15 Sep; extended 17 ≤ 18 Sep (its approved extension); onDeadline 22 ≤ 22 Sep, the deadline day.
        assertEquals(3, l.get("completedOnTime"));
        // late 14 > 10 Sep; extendedLate 15 > 11 Sep (extended, still late).
        assertEquals(2, l.get("completedLate"));
        // overdue and takenOver.
        assertEquals(2, l.get("open"));
        // overdue: due 24 Sep, open on 12 Oct (its extension was rejected); takenOver is due 30 Oct.
        assertEquals(1, l.get("overdue"));
        // After 24 Sep up to 12 Oct: 28, 29, 30 Sep, 8, 9, 10 (make-up), 12 Oct; 25–27 Sep and 1–7 Oct are off.
        assertEquals(7, l.get("workingDaysOverdue"));
        // cancelled on 15 Sep.
        assertEquals(1, l.get("cancelled"));
        // 5 / 7 and 3 / 5.
        assertEquals(5.0 / 7, num(l, "completionRate"), 1e-6);
        assertEquals(0.6, num(l, "onTimeRate"), 1e-6);
        // onTime 1→11 Sep: 2, 3, 4, 7–11 = 8; late 1→14 Sep: 9; extended 2→17 Sep: 3, 4, 7–11, 14–17 = 11;
        // extendedLate 2→15 Sep: 3, 4, 7–11, 14, 15 = 9; onDeadline 14→22 Sep: 15–18, 20 (make-up), 21, 22 = 7.
        // (8 + 9 + 11 + 9 + 7) / 5 = 44 / 5.
        assertEquals(8.8, num(l, "averageHandlingDays"), 1e-6);
        // extended (7 Sep), extendedLate (4 Sep), overdue (20 Sep); the first two approved.
        assertEquals(3, l.get("extensionsAsked"));
        assertEquals(2, l.get("extensionsApproved"));
        // assisted (15 Sep, as assist unit), overdue (25 Sep), takenOver (30 Sep); overdue's second urge is on 9 Oct.
        assertEquals(3, l.get("urges"));
        // declined, on 4 Sep.
        assertEquals(1, l.get("declined"));
        // assisted, approved on 28 Sep; it never enters RL's rates.
        assertEquals(1, l.get("assistReceived"));
        assertEquals(1, l.get("assistCompleted"));
        assertEquals(0, l.get("assistOverdue"));
    }

    @Test
    void aReassignedItemCountsForTheUnitThatHoldsItAndTheDecliningUnitHasNoRates() {
        JsonPath s = summary(SUPERVISOR, "2026-09-01", "2026-09-30", "2026-10-12", "unit");
        Map<String, Object> m = row(s, "RM");
        // declined (from RL on 7 Sep) and assisted (RM leads).
        assertEquals(2, m.get("received"));
        // assisted, approved 28 Sep ≤ due 29 Sep.
        assertEquals(1, m.get("completed"));
        assertEquals(1, m.get("completedOnTime"));
        // declined: due 30 Sep, still waiting for RM to accept on 12 Oct; after 30 Sep: 8, 9, 10 (make-up), 12 Oct.
        assertEquals(1, m.get("overdue"));
        assertEquals(4, m.get("workingDaysOverdue"));
        // assisted 8→28 Sep: 9–11, 14–18, 20 (make-up), 21–24, 28 = 14.
        assertEquals(14.0, num(m, "averageHandlingDays"), 1e-6);
        // The urge on assisted, 15 Sep.
        assertEquals(1, m.get("urges"));
        assertEquals(0, m.get("declined"));
        assertEquals(0.5, num(m, "completionRate"), 1e-6);
        assertEquals(1.0, num(m, "onTimeRate"), 1e-6);

        Map<String, Object> k = row(s, "RK");
        // RK received nothing it still holds: takenOver went to RL on 7 Sep. Its decline counts, on 4 Sep.
        assertEquals(0, k.get("received"));
        assertEquals(1, k.get("declined"));
        // A rate with a zero denominator is null, not 0.
        assertNull(k.get("completionRate"));
        assertNull(k.get("onTimeRate"));
        assertNull(k.get("averageHandlingDays"));

        // Totals: RL + RM + RK. received 7 + 2; completed 5 + 1; on time 3 + 1; overdue 1 + 1 (7 + 4 working
        // days); urges 3 + 1; declines 1 + 1; rates from the sums: 6 / 9, 4 / 6; average (44 + 14) / 6.
        Map<String, Object> total = s.getMap("totals");
        assertNull(total.get("key"));
        assertEquals(9, total.get("received"));
        assertEquals(6, total.get("completed"));
        assertEquals(4, total.get("completedOnTime"));
        assertEquals(2, total.get("completedLate"));
        assertEquals(3, total.get("open"));
        assertEquals(2, total.get("overdue"));
        assertEquals(11, total.get("workingDaysOverdue"));
        assertEquals(1, total.get("cancelled"));
        assertEquals(3, total.get("extensionsAsked"));
        assertEquals(2, total.get("extensionsApproved"));
        assertEquals(4, total.get("urges"));
        assertEquals(2, total.get("declined"));
        assertEquals(1, total.get("assistReceived"));
        assertEquals(6.0 / 9, num(total, "completionRate"), 1e-6);
        assertEquals(4.0 / 6, num(total, "onTimeRate"), 1e-6);
        assertEquals(58.0 / 6, num(total, "averageHandlingDays"), 1e-6);
        assertEquals(3, s.getList("rows").size());

        // By month: every September item in one row, equal to the totals; by priority likewise (all NORMAL).
        Map<String, Object> month = row(summary(SUPERVISOR, "2026-09-01", "2026-09-30", "2026-10-12", "month"), "2026-09");
        assertEquals("2026年09月", month.get("label"));
        assertEquals(9, month.get("received"));
        assertEquals(4, month.get("urges"));
        Map<String, Object> normal = row(summary(SUPERVISOR, "2026-09-01", "2026-09-30", "2026-10-12", "priority"), "NORMAL");
        assertEquals("一般", normal.get("label"));
        assertEquals(6, normal.get("completed"));
        assertEquals(2, normal.get("declined"));
    }

    @Test
    void asOfInThePastGivesTheFiguresAsTheyStoodThen() {
        // As of the end of 9 September.
        Map<String, Object> l = row(summary(SUPERVISOR, "2026-09-01", "2026-09-30", "2026-09-09", "unit"), "RL");
        // onTime, late, extended, extendedLate, overdue, takenOver (RL's since 7 Sep) and cancelled (dispatched
        // 9 Sep, cancelled only on 15 Sep); onDeadline was dispatched on 14 Sep.
        assertEquals(7, l.get("received"));
        assertEquals(0, l.get("cancelled"));
        // Nothing approved yet: the completion rate is 0 / 7 = 0, the on-time rate and average have no denominator.
        assertEquals(0, l.get("completed"));
        assertEquals(0.0, num(l, "completionRate"), 1e-9);
        assertNull(l.get("onTimeRate"));
        assertNull(l.get("averageHandlingDays"));
        // extendedLate: due 8 Sep then (its extension to 11 Sep was approved only on 10 Sep), 1 working day (9 Sep).
        // extended: due 18 Sep by then (approved 8 Sep).
        assertEquals(1, l.get("overdue"));
        assertEquals(1, l.get("workingDaysOverdue"));
        // extendedLate (4 Sep), extended (7 Sep); only extended's approval (8 Sep) had happened.
        assertEquals(2, l.get("extensionsAsked"));
        assertEquals(1, l.get("extensionsApproved"));
        assertEquals(0, l.get("urges"));
        assertEquals(1, l.get("declined"));

        JsonPath list = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("asOf", "2026-09-09")
                .queryParam("unit", "RL").get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
        assertEquals(1, list.getInt("total"));
        assertEquals("事项extendedLate", list.getString("rows[0].title"));
        assertEquals("2026-09-08", list.getString("rows[0].deadline"));
        assertEquals(1, list.getInt("rows[0].workingDaysOverdue"));
    }

    @Test
    void acrossTheSpringFestival() {
        // spring: 10 Feb → 2 Mar: 11–13, 14 (make-up), 24–27, 28 (make-up), 2 Mar = 10 working days; late (27 Feb).
        Map<String, Object> l = row(summary(SUPERVISOR, "2026-02-01", "2026-02-28", "2026-03-31", "unit"), "RL");
        assertEquals(1, l.get("received"));
        assertEquals(1, l.get("completedLate"));
        assertEquals(10.0, num(l, "averageHandlingDays"), 1e-9);
        assertEquals(0.0, num(l, "onTimeRate"), 1e-9);
        // As of the end of 1 March it was open and overdue by 1 working day: 28 Feb, a make-up Saturday.
        JsonPath list = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("asOf", "2026-03-01")
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
        assertEquals(1, list.getInt("total"));
        assertEquals(1, list.getInt("rows[0].workingDaysOverdue"));
        assertTrue(list.getString("rows[0].warningReason").startsWith("已超期 1 个工作日"), list.getString("rows[0].warningReason"));
    }

    @Test
    void theOverdueListHasEveryColumnAndAHandlerSeesOnlyTheirUnit() {
        JsonPath all = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("asOf", "2026-10-12")
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
        // overdue (RL, due 24 Sep) and declined (RM, due 30 Sep), oldest deadline first.
        assertEquals(2, all.getInt("total"));
        assertEquals(List.of("RL", "RM"), all.getList("rows.unitCode"));
        assertEquals("DB-2026-0006", all.getString("rows[0].itemNumber"));
        assertEquals("市住建局", all.getString("rows[0].unitName"));
        assertEquals("LEAD", all.getString("rows[0].role"));
        assertEquals("王副区长", all.getString("rows[0].responsibleLeader"));
        assertEquals("2026-09-24", all.getString("rows[0].deadline"));
        assertEquals(7, all.getInt("rows[0].workingDaysOverdue"));
        // The progress report of 10 Sep, 40%; urged on 25 Sep and 9 Oct.
        assertEquals(40, all.getInt("rows[0].lastProgressPercent"));
        assertTrue(all.getString("rows[0].lastProgressAt").startsWith("2026-09-10T01:00:00"), all.getString("rows[0].lastProgressAt"));
        assertEquals(2, all.getInt("rows[0].urges"));
        assertEquals("已超期 7 个工作日（期限 2026-09-24）", all.getString("rows[0].warningReason"));
        assertEquals(4, all.getInt("rows[1].workingDaysOverdue"));
        assertEquals(0, all.getInt("rows[1].urges"));

        // A handler of RL: RL's row only; RM's is absent. Naming RM is 404.
        JsonPath mine = given().auth().oauth2(DevTokens.handler("RL")).accept("application/json")
                .queryParam("asOf", "2026-10-12").get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("RL"), mine.getList("rows.unitCode"));
        given().auth().oauth2(DevTokens.handler("RL")).accept("application/json").queryParam("unit", "RM")
                .get("/api/v1/reports/overdue").then().statusCode(404).contentType("application/problem+json");
        // The handler's summary has RL's row only: RM and RK are absent, not zeroed.
        JsonPath s = summary(DevTokens.handler("RL"), "2026-09-01", "2026-09-30", "2026-10-12", "unit");
        assertEquals(List.of("RL"), s.getList("rows.key"));
        assertEquals(7, s.getInt("totals.received"));

        // Filters: by role (RL's assist rows: none overdue), by priority (none URGENT).
        assertEquals(0, given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("role", "ASSIST")
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath().getInt("total"));
        assertEquals(0, given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("priority", "URGENT")
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath().getInt("total"));
        assertEquals(2, given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("category", "城市建设")
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath().getInt("total"));
        // Paging: a row a page, the second from the first page's cursor, and none after it.
        JsonPath first = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("asOf", "2026-10-12")
                .queryParam("limit", 1).get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
        assertEquals(2, first.getInt("total"));
        assertEquals(1, first.getInt("limit"));
        assertEquals(List.of("RL"), first.getList("rows.unitCode"));
        JsonPath page = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("limit", 1)
                .queryParam("cursor", first.getString("nextCursor")).get("/api/v1/reports/overdue").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, page.getInt("total"));
        assertEquals(List.of("RM"), page.getList("rows.unitCode"));
        assertNull(page.getString("nextCursor"));
    }

    /** Every page of a list from its first, following nextCursor to the last (which has none). */
    static List<JsonPath> pages(String token, String path, Map<String, ?> query) {
        List<JsonPath> pages = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(token).accept("application/json").queryParams(query);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            pages.add(page);
            cursor = page.getString("nextCursor");
            assertTrue(pages.size() <= 10_000, "the pages end");
        } while (cursor != null);
        return pages;
    }

    /** The values at {@code path} of every page, in order. */
    static List<Object> all(List<JsonPath> pages, String path) {
        List<Object> out = new ArrayList<>();
        pages.forEach(p -> out.addAll(p.getList(path)));
        return out;
    }

    @Test
    void theOverdueListsLaterPagesAreAsOfItsFirstPage() {
        try {
            // No asOf: now, 10:00 on 12 October.
            JsonPath first = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("limit", 1)
                    .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
            assertEquals(2, first.getInt("total"));
            assertEquals(List.of("DB-2026-0006"), first.getList("rows.itemNumber"));
            // Four days on, soon (due 14 Oct) is overdue too: a new read has 3 rows.
            clock.pin(LocalDate.of(2026, 10, 16));
            assertEquals(3, given().auth().oauth2(SUPERVISOR).accept("application/json").get("/api/v1/reports/overdue")
                    .then().statusCode(200).extract().jsonPath().getInt("total"));
            // The second page is still as of the first page's time, whatever asOf says: RM's row, and no third page.
            JsonPath second = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("limit", 1)
                    .queryParam("asOf", "2026-10-20").queryParam("cursor", first.getString("nextCursor"))
                    .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath();
            assertEquals(first.getString("asOf"), second.getString("asOf"));
            assertEquals(2, second.getInt("total"));
            assertEquals(List.of("RM"), second.getList("rows.unitCode"));
            assertNull(second.getString("nextCursor"));
            // A later page answers the total its cursor carries, the first page's count, without counting again.
            String[] fields = Cursors.decode(first.getString("nextCursor"), ReportsResource.OVERDUE_LIST, 6);
            assertEquals("2", fields[1]);
            fields[1] = "7";
            assertEquals(7, given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("limit", 1)
                    .queryParam("cursor", Cursors.encode(ReportsResource.OVERDUE_LIST, (Object[]) fields))
                    .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath().getInt("total"));
        } finally {
            clock.pin(LocalDate.of(2026, 10, 12));
        }
    }

    @Test
    void theRowsBehindAFigurePageThroughEveryRowOnceInOrder() {
        Map<String, Object> query = Map.of("measure", "received", "from", "2026-09-01", "to", "2026-09-30",
                "asOf", "2026-10-12");
        JsonPath whole = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParams(query)
                .queryParam("limit", 1000).get("/api/v1/reports/rows").then().statusCode(200).extract().jsonPath();
        assertEquals(9, whole.getInt("total"));
        assertNull(whole.getString("nextCursor"));
        List<JsonPath> pages = pages(SUPERVISOR, "/api/v1/reports/rows", with(query, "limit", 2));
        assertEquals(List.of(2, 2, 2, 2, 1), pages.stream().map(p -> p.getList("rows").size()).toList());
        assertEquals(whole.getList("rows.itemId"), all(pages, "rows.itemId"));
        assertEquals(whole.getList("rows.unitCode"), all(pages, "rows.unitCode"));
        assertEquals(9, new java.util.HashSet<>(all(pages, "rows.itemId")).size(), "every row once");
        List<String> deadlines = all(pages, "rows.deadline").stream().map(String::valueOf).toList();
        assertEquals(deadlines.stream().sorted().toList(), deadlines, "by deadline");
        for (JsonPath p : pages) {
            assertEquals(9, p.getInt("total"));
            assertEquals(whole.getString("asOf"), p.getString("asOf"));
            assertEquals("received", p.getString("measure"));
        }
        // The rows of the default page: 100.
        assertEquals(100, given().auth().oauth2(SUPERVISOR).accept("application/json").queryParams(query)
                .get("/api/v1/reports/rows").then().statusCode(200).extract().jsonPath().getInt("limit"));
    }

    static Map<String, Object> with(Map<String, ?> query, String name, Object value) {
        Map<String, Object> out = new java.util.HashMap<>(query);
        out.put(name, value);
        return out;
    }

    @Test
    void theLitAssignmentsPageThroughEveryRowAsLitWhenTheFirstPageWasRead() {
        try {
            JsonPath whole = given().auth().oauth2(SUPERVISOR).get("/api/v1/reports/warning-board/assignments").then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(5, whole.getList("items").size());
            assertEquals(100, whole.getInt("limit"));
            assertNull(whole.getString("nextCursor"));
            List<JsonPath> pages = pages(SUPERVISOR, "/api/v1/reports/warning-board/assignments", Map.of("limit", 2));
            assertEquals(List.of(2, 2, 1), pages.stream().map(p -> p.getList("items").size()).toList());
            assertEquals(whole.getList("items.itemNumber"), all(pages, "items.itemNumber"));
            assertEquals(whole.getList("items.unitCode"), all(pages, "items.unitCode"));

            // Red on 12 October: overdue (RL, due 24 Sep), then declined (RM, due 30 Sep).
            JsonPath first = given().auth().oauth2(SUPERVISOR).queryParam("level", "RED").queryParam("limit", 1)
                    .get("/api/v1/reports/warning-board/assignments").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("2026-09-24"), first.getList("items.deadline"));
            // On 16 October soon (due 14 Oct) is red too, but the read begun on the 12th goes on as then.
            clock.pin(LocalDate.of(2026, 10, 16));
            assertEquals(3, given().auth().oauth2(SUPERVISOR).queryParam("level", "RED")
                    .get("/api/v1/reports/warning-board/assignments").then().statusCode(200).extract().jsonPath()
                    .getList("items").size());
            JsonPath second = given().auth().oauth2(SUPERVISOR).queryParam("level", "RED").queryParam("limit", 1)
                    .queryParam("cursor", first.getString("nextCursor")).get("/api/v1/reports/warning-board/assignments")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("RM"), second.getList("items.unitCode"));
            assertEquals(List.of("2026-09-30"), second.getList("items.deadline"));
            assertNull(second.getString("nextCursor"));
        } finally {
            clock.pin(LocalDate.of(2026, 10, 12));
        }
    }

    @Test
    void aCursorServesOnlyItsOwnListAndTheLimitIsBounded() {
        String overdue = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("asOf", "2026-10-12")
                .queryParam("limit", 1).get("/api/v1/reports/overdue").then().statusCode(200).extract().path("nextCursor");
        String received = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("measure", "received")
                .queryParam("from", "2026-09-01").queryParam("to", "2026-09-30").queryParam("limit", 1)
                .get("/api/v1/reports/rows").then().statusCode(200).extract().path("nextCursor");
        String lit = given().auth().oauth2(SUPERVISOR).queryParam("limit", 1).get("/api/v1/reports/warning-board/assignments")
                .then().statusCode(200).extract().path("nextCursor");
        String bulletins = Cursors.encode("bulletins", 2026, 1);
        String rows = "/api/v1/reports/rows?measure=received&from=2026-09-01&to=2026-09-30";
        String id = java.util.UUID.randomUUID().toString();
        List<String[]> refused = List.of(
                new String[] { "/api/v1/reports/overdue", received }, new String[] { "/api/v1/reports/overdue", lit },
                new String[] { "/api/v1/reports/overdue", bulletins }, new String[] { rows, overdue },
                new String[] { "/api/v1/reports/rows?measure=completed&from=2026-09-01&to=2026-09-30", received },
                new String[] { "/api/v1/reports/rows?measure=overdue&from=2026-09-01&to=2026-09-30", overdue },
                new String[] { "/api/v1/reports/warning-board/assignments", overdue },
                new String[] { "/api/v1/bulletins", lit }, new String[] { "/api/v1/bulletins", received },
                // Garbage, and cursors of the right list whose fields are not ours.
                new String[] { "/api/v1/reports/overdue", "garbage" }, new String[] { rows, "%%%" },
                new String[] { "/api/v1/reports/warning-board/assignments", "bm90IG91cnM" },
                new String[] { "/api/v1/bulletins", "garbage" },
                new String[] { "/api/v1/reports/overdue",
                        Cursors.encode("overdue", "yesterday", "3", "2026-09-24", "DB-2026-0006", "RL", id) },
                new String[] { "/api/v1/reports/overdue",
                        Cursors.encode("overdue", "2026-10-12T02:00:00Z", "3", "2026-09-24", "DB\0", "RL", id) },
                new String[] { "/api/v1/reports/overdue",
                        Cursors.encode("overdue", "2026-10-12T02:00:00Z", "3", "2026-09-24", "DB-2026-0006", "RL", "x") },
                new String[] { "/api/v1/reports/overdue",
                        Cursors.encode("overdue", "2026-10-12T02:00:00Z", "-1", "2026-09-24", "DB-2026-0006", "RL", id) },
                new String[] { "/api/v1/reports/overdue",
                        Cursors.encode("overdue", "2026-10-12T02:00:00Z", "many", "2026-09-24", "DB-2026-0006", "RL", id) },
                new String[] { "/api/v1/reports/overdue", Cursors.encode("overdue", "2026-10-12T02:00:00Z", "2026-09-24",
                        "DB-2026-0006", "RL", id) },
                new String[] { "/api/v1/reports/warning-board/assignments",
                        Cursors.encode("warning-board-assignments", "2026-10-12T02:00:00Z", "+10000-01-01", "DB", "RL", id) },
                new String[] { "/api/v1/reports/warning-board/assignments",
                        Cursors.encode("warning-board-assignments", "+10000-01-01T00:00:00Z", "2026-09-24", "DB", "RL", id) },
                new String[] { "/api/v1/bulletins", Cursors.encode("bulletins", "2026", "one") });
        for (String[] r : refused) {
            given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("cursor", r[1]).get(r[0]).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("code", org.hamcrest.Matchers.equalTo("bad-cursor"));
        }
        // The exports ignore the cursor, as they ignore the limit (they hold every row), but refuse one not of their list.
        for (String[] r : List.of(new String[] { "/api/v1/reports/overdue?asOf=2026-10-12", "garbage" },
                new String[] { "/api/v1/reports/overdue?asOf=2026-10-12", received }, new String[] { rows, overdue })) {
            for (String format : List.of("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")) {
                given().auth().oauth2(SUPERVISOR).accept(format).queryParam("cursor", r[1]).get(r[0]).then()
                        .statusCode(400).contentType("application/problem+json")
                        .body("code", org.hamcrest.Matchers.equalTo("bad-cursor"));
            }
        }
        String whole = given().auth().oauth2(SUPERVISOR).accept("text/csv").get("/api/v1/reports/overdue?asOf=2026-10-12")
                .then().statusCode(200).extract().asString();
        assertEquals(whole, given().auth().oauth2(SUPERVISOR).accept("text/csv").queryParam("cursor", overdue)
                .get("/api/v1/reports/overdue?asOf=2026-10-12").then().statusCode(200).extract().asString());
        for (String path : List.of("/api/v1/reports/overdue", rows, "/api/v1/reports/warning-board/assignments",
                "/api/v1/bulletins")) {
            given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("limit", 0).get(path).then()
                    .statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
        }
        given().auth().oauth2(SUPERVISOR).queryParam("limit", 1001).get("/api/v1/reports/warning-board/assignments")
                .then().statusCode(422);
        given().auth().oauth2(SUPERVISOR).queryParam("limit", 201).get("/api/v1/bulletins").then().statusCode(422);
        given().auth().oauth2(SUPERVISOR).queryParam("limit", 200).get("/api/v1/bulletins").then().statusCode(200);
    }

    @Test
    void theWarningBoardUsesTaskServicesThresholds() {
        JsonPath b = given().auth().oauth2(SUPERVISOR).get("/api/v1/reports/warning-board").then().statusCode(200)
                .extract().jsonPath();
        // 12 Oct, 3 yellow working days: 13, 14, 15 Oct.
        assertEquals("2026-10-15", b.getString("yellowHorizon"));
        // RL: overdue (red), soon (due 14 Oct, yellow), takenOver (due 30 Oct, green).
        // RM: declined (due 30 Sep, red), quiet (weekly, nothing reported since it was received on 2 Oct: yellow).
        assertEquals(List.of("RL", "RM"), b.getList("units.unitCode"));
        assertEquals(List.of(1, 1), b.getList("units.red"));
        assertEquals(List.of(1, 1), b.getList("units.yellow"));
        assertEquals(List.of(1, 0), b.getList("units.green"));
        assertEquals(2, b.getInt("totals.red"));
        assertEquals(2, b.getInt("totals.yellow"));
        assertEquals(1, b.getInt("totals.green"));
        List<Map<String, Object>> yellow = given().auth().oauth2(SUPERVISOR).queryParam("unit", "RM").queryParam("level", "YELLOW")
                .get("/api/v1/reports/warning-board/assignments").then().statusCode(200).extract().jsonPath().getList("items");
        assertEquals(1, yellow.size());
        assertTrue(((String) yellow.get(0).get("reason")).startsWith("进展反馈已逾期"), (String) yellow.get(0).get("reason"));
        // A handler: their own unit only.
        assertEquals(List.of("RM"), given().auth().oauth2(DevTokens.handler("RM")).get("/api/v1/reports/warning-board")
                .then().statusCode(200).extract().jsonPath().getList("units.unitCode"));
    }

    @Test
    void csvHasAByteOrderMarkAndXlsxHasChineseHeadersAFrozenRowAndRealDates() throws Exception {
        byte[] csv = given().auth().oauth2(SUPERVISOR).accept("text/csv").queryParam("asOf", "2026-10-12")
                .get("/api/v1/reports/overdue").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .extract().asByteArray();
        assertEquals(0xEF, csv[0] & 0xFF);
        assertEquals(0xBB, csv[1] & 0xFF);
        assertEquals(0xBF, csv[2] & 0xFF);
        String[] lines = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8).split("\r\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("事项编号,事项标题,承办单位"), lines[0]);
        assertTrue(lines[1].startsWith("DB-2026-0006,事项overdue,市住建局,RL,主办,办理中,王副区长,领导批示,一般,城市建设,2026-09-03,2026-09-24,7,2026-09-10 09:00,40,2"),
                lines[1]);

        byte[] xlsx = given().auth().oauth2(SUPERVISOR).accept(XLSX).queryParam("asOf", "2026-10-12")
                .get("/api/v1/reports/overdue").then().statusCode(200).contentType(XLSX).extract().asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = book.getSheetAt(0);
            assertEquals("超期清单", sheet.getSheetName());
            assertEquals("事项编号", sheet.getRow(0).getCell(0).getStringCellValue());
            assertEquals("办理期限", sheet.getRow(0).getCell(11).getStringCellValue());
            assertEquals(1, sheet.getPaneInformation().getHorizontalSplitTopRow());
            assertTrue(sheet.getColumnWidth(1) > sheet.getColumnWidth(3));
            Cell deadline = sheet.getRow(1).getCell(11);
            assertEquals(CellType.NUMERIC, deadline.getCellType());
            assertTrue(DateUtil.isCellDateFormatted(deadline));
            assertEquals(LocalDate.of(2026, 9, 24), deadline.getLocalDateTimeCellValue().toLocalDate());
            assertEquals(7.0, sheet.getRow(1).getCell(12).getNumericCellValue());
            assertEquals(2, sheet.getLastRowNum());
        }

        byte[] summaryXlsx = given().auth().oauth2(SUPERVISOR).accept(XLSX).queryParam("from", "2026-09-01")
                .queryParam("to", "2026-09-30").queryParam("asOf", "2026-10-12").get("/api/v1/reports/summary")
                .then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(summaryXlsx))) {
            Sheet sheet = book.getSheetAt(0);
            // RK, RL, RM and the totals row.
            assertEquals(4, sheet.getLastRowNum());
            assertEquals("合计", sheet.getRow(4).getCell(0).getStringCellValue());
            assertEquals(9.0, sheet.getRow(4).getCell(2).getNumericCellValue());
            // RK's completion rate has no denominator: an empty cell, not 0.
            assertNull(sheet.getRow(1).getCell(10));
            // The sheet 说明 states the period and the as-of time (SPEC.md: every report does).
            Map<String, String> about = about(book);
            assertEquals("统计汇总", about.get("报表"));
            assertEquals("2026-09-01 至 2026-09-30（按交办日期，含首尾）", about.get("统计期间"));
            assertEquals("2026-10-12 23:59（Asia/Shanghai）", about.get("统计截止时间"));
            assertEquals("按承办单位", about.get("口径"));
        }
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals("不限（按交办日期）", about(book).get("统计期间"));
        }
    }

    /** The label → value lines of an export's sheet 说明, which follows the data. */
    static Map<String, String> about(XSSFWorkbook book) {
        Sheet sheet = book.getSheet("说明");
        assertEquals(1, book.getSheetIndex(sheet), "说明 follows the data sheet");
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= sheet.getLastRowNum(); i++) {
            lines.put(sheet.getRow(i).getCell(0).getStringCellValue(), sheet.getRow(i).getCell(1).getStringCellValue());
        }
        return lines;
    }

    @Test
    void badParametersAreProblems() {
        given().auth().oauth2(SUPERVISOR).queryParam("from", "2026-09-30").queryParam("to", "2026-09-01")
                .get("/api/v1/reports/summary").then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(SUPERVISOR).header("Accept-Language", "en").queryParam("from", "2026-09-01")
                .queryParam("to", "2026-09-30").queryParam("groupBy", "planet")
                .get("/api/v1/reports/summary").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("groupBy"));
        given().auth().oauth2(SUPERVISOR).queryParam("asOf", "yesterday").get("/api/v1/reports/overdue")
                .then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(SUPERVISOR).queryParam("limit", 5000).get("/api/v1/reports/overdue")
                .then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/reports/overdue")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/api/v1/reports/warning-board").then().statusCode(401).contentType("application/problem+json");
    }
}
