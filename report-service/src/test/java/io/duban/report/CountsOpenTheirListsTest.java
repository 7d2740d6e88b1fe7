package io.duban.report;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.report.support.TaskData;
import io.duban.report.support.TaskSchemaTestResource;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every count opens the list it counts, on generated data (bench/datagen/generate.sql with 2,000 items
 * over 12 units around today, not the fixture): each figure of the summary equals the number of rows
 * of its list with the same period, as-of time and filters; the overdue list equals the summary's
 * overdue; the warning board's lights equal the lists of lit assignments. Checked now and as of two
 * months ago.
 */
@QuarkusTest
@WithTestResource(value = TaskSchemaTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CountsOpenTheirListsTest {

    static final String SUPERVISOR = DevTokens.supervisor();
    static final Map<String, String> MEASURES = Map.of("received", "received", "completed", "completed",
            "on-time", "completedOnTime", "late", "completedLate", "open", "open", "overdue", "overdue",
            "cancelled", "cancelled", "assist-received", "assistReceived", "assist-completed", "assistCompleted",
            "assist-overdue", "assistOverdue");

    LocalDate today;

    @Inject
    DataSource db;

    @Inject
    OfficeCalendar office;

    @BeforeAll
    void generate() {
        TaskData.generate(2000, 12, 0.42);
        today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    }

    static JsonPath summary(String from, String to, String asOf) {
        return given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("from", from).queryParam("to", to)
                .queryParam("asOf", asOf).get("/api/v1/reports/summary").then().statusCode(200).extract().jsonPath();
    }

    static int listed(String measure, String from, String to, String asOf, String unit) {
        var req = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("measure", measure)
                .queryParam("from", from).queryParam("to", to).queryParam("asOf", asOf).queryParam("limit", 1);
        if (unit != null) {
            req.queryParam("unit", unit);
        }
        return req.get("/api/v1/reports/rows").then().statusCode(200).extract().jsonPath().getInt("total");
    }

    void everyFigureOpensItsList(String asOf) {
        everyFigureOpensItsList(today.minusYears(1).toString(), asOf);
    }

    void everyFigureOpensItsList(String from, String asOf) {
        String to = today.toString();
        JsonPath s = summary(from, to, asOf);
        Map<String, Object> totals = s.getMap("totals");
        assertTrue((Integer) totals.get("received") > 100, "the generated data gives a real test: " + totals);
        assertTrue((Integer) totals.get("overdue") > 0, "some items are overdue: " + totals);
        for (var m : MEASURES.entrySet()) {
            assertEquals(totals.get(m.getValue()), listed(m.getKey(), from, to, asOf, null), m.getKey() + " in total");
        }
        List<Map<String, Object>> rows = s.getList("rows");
        for (Map<String, Object> unit : rows.subList(0, 3)) {
            String code = (String) unit.get("key");
            for (String m : List.of("received", "completed", "overdue")) {
                assertEquals(unit.get(MEASURES.get(m)), listed(m, from, to, asOf, code), m + " of " + code);
            }
            // The overdue list itself, with the same period and unit, lead assignments.
            int overdue = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("from", from)
                    .queryParam("to", to).queryParam("asOf", asOf).queryParam("unit", code).queryParam("role", "LEAD")
                    .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath().getInt("total");
            assertEquals(unit.get("overdue"), overdue, "overdue list of " + code);
        }
        // The CSV of the whole overdue list has a line per row of its JSON, after the header.
        int all = given().auth().oauth2(SUPERVISOR).accept("application/json").queryParam("asOf", asOf)
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath().getInt("total");
        byte[] csv = given().auth().oauth2(SUPERVISOR).accept("text/csv").queryParam("asOf", asOf)
                .get("/api/v1/reports/overdue").then().statusCode(200).extract().asByteArray();
        assertEquals(all + 1, new String(csv, StandardCharsets.UTF_8).split("\r\n").length);
    }

    @Test
    void now() {
        everyFigureOpensItsList(today.toString());
    }

    /**
     * A period from the first item's day to today: both ragged months have no daily cell outside the
     * period, so the summary reads their monthly cells instead of the days; its figures still open
     * their lists.
     */
    @Test
    void fromTheFirstItemToTodayTheRaggedMonthsComeFromTheirMonthlyCells() throws Exception {
        LocalDate first;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT min(dispatched_on) FROM reporting.items")) {
            rs.next();
            first = rs.getObject(1, LocalDate.class);
        }
        if (first.getDayOfMonth() == 1) {
            first = first.minusDays(1);  // a ragged head all the same (the day before has no cells either)
        }
        try (Connection c = db.getConnection()) {
            SummaryReport.CellRanges r = SummaryReport.CellRanges.of(c, first, today);
            assertEquals(first.withDayOfMonth(1), r.monthsFrom(), "the first month from its monthly cells");
            assertEquals(first, r.headEnd(), "no days before the first whole month");
            assertEquals(today.withDayOfMonth(1).plusMonths(1), r.monthsTo(), "this month from its monthly cells");
            assertTrue(r.tailFrom().isAfter(today), "no days after the last whole month");
            // A period ending the day before the last day with cells keeps that month's days.
            LocalDate last;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT max(day) FROM reporting.summary_cells WHERE grain = 'D'")) {
                rs.next();
                last = rs.getObject(1, LocalDate.class);
            }
            SummaryReport.CellRanges before = SummaryReport.CellRanges.of(c, first, last.minusDays(1));
            assertEquals(last.withDayOfMonth(1), before.tailFrom(), "the days of the last month up to the day before: " + before);
        }
        everyFigureOpensItsList(first.toString(), today.toString());
    }

    @Test
    void asOfTwoMonthsAgo() {
        everyFigureOpensItsList(today.minusMonths(2).toString());
    }

    /** The assignments of an open measure, in list order, read from the open assignments (standing) or from the views. */
    private List<String> overdueAssignments(ReportFilter f, Figures.Measure m, boolean standing) throws Exception {
        Sql sql = new Sql();
        Figures.held(sql, f, m, standing);
        sql.append("SELECT h.assignment_id::text FROM held h WHERE " + m.predicate
                + " ORDER BY h.deadline, h.number, h.unit_code, h.assignment_id");
        List<String> ids = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = sql.prepare(c);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Test
    void theOverdueListsFromOpenPartsAreTheListsFromTheViewsWhileNothingHappenedSinceTheAsOfTime() throws Exception {
        Instant now = Instant.now();
        for (ReportFilter f : List.of(new ReportFilter(null, null, now, null, null, null, null, null),
                new ReportFilter(today.minusMonths(3), today, now, null, null, null, null, null),
                new ReportFilter(null, null, now, "U003", null, null, null, null))) {
            try (Connection c = db.getConnection()) {
                assertTrue(Figures.standsAt(c, f), "nothing happened after now: " + f);
            }
            for (Figures.Measure m : List.of(Figures.Measure.OVERDUE, Figures.Measure.ASSIST_OVERDUE)) {
                List<String> fromViews = overdueAssignments(f, m, false);
                assertTrue(f.unit() != null || fromViews.size() > 10, "a real test: " + fromViews.size() + " " + m);
                assertEquals(fromViews, overdueAssignments(f, m, true), m + " " + f);
            }
        }
        // Two months ago the items stood otherwise (completed, extended since): the views answer then.
        ReportFilter past = new ReportFilter(null, null, now.minus(Duration.ofDays(61)), null, null, null, null, null);
        try (Connection c = db.getConnection()) {
            assertTrue(!Figures.standsAt(c, past), "events after the as-of time: the parts are not what stood then");
        }
    }

    /** Every row of an overdue list as the list shows it, from the open assignments (standing) or from the views. */
    private List<ReportRows.Row> overdueRows(ReportFilter f, Figures.Measure m, boolean standing) throws Exception {
        List<ReportRows.Row> rows = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            new ReportRows(db, office).rows(c, f, m, standing, null, null, (row, key) -> rows.add(row));
        }
        return rows;
    }

    /** The row of one unit on one item. */
    private static ReportRows.Row rowOf(List<ReportRows.Row> rows, String item, String unit) {
        return rows.stream().filter(r -> r.itemId().toString().equals(item) && r.unitCode().equals(unit)).findFirst()
                .orElseThrow();
    }

    @Test
    void theOverdueRowsFromTheOpenAssignmentsShowWhatTheViewsShowEvenWithAReportAndAnUrgeAfterTheAsOfTime()
            throws Exception {
        LocalDate from = today.minusYears(1);
        LocalDate to = today.withDayOfMonth(1).minusDays(1);
        String assignment;
        String item;
        String unit;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT assignment_id, item_id, unit_code FROM reporting.open_assignments"
                        + " WHERE role = 'LEAD' AND deadline < current_date - 10 AND last_progress_at IS NOT NULL"
                        + " AND item_dispatched_at < date_trunc('month', now()) - interval '1 day'"
                        + " AND item_dispatched_at > now() - interval '11 months' ORDER BY assignment_id LIMIT 1")) {
            assertTrue(rs.next(), "an overdue lead assignment with a report, dispatched in the period");
            assignment = rs.getString(1);
            item = rs.getString(2);
            unit = rs.getString(3);
        }
        ReportFilter before = new ReportFilter(from, to, Instant.now(), null, null, null, null, null);
        ReportRows.Row then = rowOf(overdueRows(before, Figures.Measure.OVERDUE, false), item, unit);
        Thread.sleep(5);
        // A progress report and an urge now, on an item of the period: the period still stands at the
        // earlier as-of time (the cells count neither by the item's month), but the kept last report and
        // urges are now later than it.
        try (Connection c = TestDatabase.forModule("report-service").admin(); Statement s = c.createStatement()) {
            s.execute("SET search_path = task");  // the timeline's hash-chain trigger names its table unqualified
            s.execute("INSERT INTO task.progress_report (id, item_id, assignment_id, unit_code, content, percent, reported_by,"
                    + " reported_at) VALUES (gen_random_uuid(), '" + item + "', '" + assignment + "', '" + unit
                    + "', '已完成整改', 95, 'test', now())");
            s.execute("INSERT INTO task.timeline_entry (item_id, occurred_at, actor, actor_role, action, unit_code, after, note)"
                    + " VALUES ('" + item + "', now(), 'test', 'supervisor', 'URGE', '" + unit
                    + "', '{\"urgeCount\": 9}', '请抓紧办理')");
        }
        try (Connection c = db.getConnection()) {
            assertTrue(Figures.standsAt(c, before), "the period stands at the earlier as-of time");
        }
        List<ReportRows.Row> fromViews = overdueRows(before, Figures.Measure.OVERDUE, false);
        assertEquals(fromViews, overdueRows(before, Figures.Measure.OVERDUE, true), "rows as of before the report and urge");
        ReportRows.Row still = rowOf(fromViews, item, unit);
        assertEquals(then, still, "the report and the urge after the as-of time are not shown as of it");
        ReportFilter after = new ReportFilter(from, to, Instant.now(), null, null, null, null, null);
        List<ReportRows.Row> nowFromViews = overdueRows(after, Figures.Measure.OVERDUE, false);
        assertEquals(nowFromViews, overdueRows(after, Figures.Measure.OVERDUE, true), "rows as of after them");
        ReportRows.Row now = rowOf(nowFromViews, item, unit);
        assertEquals(95, now.lastProgressPercent(), "the new report is the last one");
        assertEquals(then.urges() + 1, now.urges(), "the urge is counted");
        // And every filter of the list, on both roles.
        for (ReportFilter f : List.of(new ReportFilter(null, null, after.asOf(), "U002", null, null, null, null),
                new ReportFilter(null, null, after.asOf(), null, "LEADER_INSTRUCTION", null, null, null),
                new ReportFilter(from, today, after.asOf(), null, null, "URGENT", null, null),
                new ReportFilter(null, null, after.asOf(), null, null, null, then.category(), null),
                new ReportFilter(null, null, after.asOf(), null, null, null, null, "LEAD"))) {
            for (Figures.Measure m : List.of(Figures.Measure.OVERDUE, Figures.Measure.ASSIST_OVERDUE)) {
                List<ReportRows.Row> rows = overdueRows(f, m, false);
                assertTrue(f.role() != null || !rows.isEmpty(), "a real test: " + m + " " + f);
                assertEquals(rows, overdueRows(f, m, true), m + " " + f);
            }
        }
    }

    /**
     * A list read a page at a time is the list read whole: every row once, in list order, the total and
     * the as-of time of the first page on every page. On generated data, where many rows share a
     * deadline (and an item, for the assist rows), so the order's tie-breakers decide.
     */
    @Test
    void theListsReadAPageAtATimeAreTheWholeListsInOrder() {
        String from = today.minusYears(1).toString();
        for (Map<String, Object> q : List.<Map<String, Object>>of(Map.of("path", "/api/v1/reports/overdue", "limit", 13),
                Map.of("path", "/api/v1/reports/rows", "measure", "received", "from", from, "to", today.toString(),
                        "limit", 97),
                Map.of("path", "/api/v1/reports/rows", "measure", "assist-received", "from", from, "to",
                        today.toString(), "limit", 23))) {
            Map<String, Object> query = new java.util.HashMap<>(q);
            String path = (String) query.remove("path");
            List<JsonPath> pages = ReportFiguresTest.pages(SUPERVISOR, path, query);
            Instant asOf = java.time.OffsetDateTime.parse(pages.get(0).getString("asOf")).toInstant();
            Figures.Measure m = Figures.Measure.valueOf(((String) query.getOrDefault("measure", "overdue"))
                    .toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            ReportFilter f = new ReportFilter(query.containsKey("from") ? today.minusYears(1) : null,
                    query.containsKey("to") ? today : null, asOf, null, null, null, null, null);
            List<ReportRows.Row> whole = new ArrayList<>();
            new ReportRows(db, office).rows(f, m, whole::add);
            assertTrue(pages.size() > 3, "a real test: " + pages.size() + " pages of " + path + " " + query);
            List<String> deadlines = whole.stream().map(r -> r.deadline().toString()).toList();
            assertTrue(deadlines.size() > new java.util.HashSet<>(deadlines).size(), "rows share a deadline");
            assertEquals(whole.stream().map(r -> r.itemId() + " " + r.unitCode()).toList(),
                    ReportFiguresTest.all(pages, "rows").stream().map(r -> ((Map<?, ?>) r).get("itemId") + " "
                            + ((Map<?, ?>) r).get("unitCode")).toList(), path + " " + query);
            for (JsonPath p : pages) {
                assertEquals(whole.size(), p.getInt("total"));
                assertEquals(pages.get(0).getString("asOf"), p.getString("asOf"));
            }
        }
    }

    @Test
    void theWarningBoardsLightsOpenTheirLists() {
        JsonPath b = given().auth().oauth2(SUPERVISOR).get("/api/v1/reports/warning-board").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> units = b.getList("units");
        assertTrue(b.getInt("totals.red") > 0 && b.getInt("totals.yellow") + b.getInt("totals.green") > 0, b.prettify());
        for (Map<String, Object> u : units.subList(0, 3)) {
            for (String level : List.of("RED", "YELLOW", "GREEN")) {
                List<?> lit = ReportFiguresTest.all(ReportFiguresTest.pages(SUPERVISOR, "/api/v1/reports/warning-board/assignments",
                        Map.of("unit", u.get("unitCode"), "level", level, "limit", 1000)), "items");
                assertEquals(u.get(level.toLowerCase()), lit.size(), level + " of " + u.get("unitCode"));
            }
        }
    }
}
