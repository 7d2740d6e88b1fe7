package io.duban.task.reporting;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.duban.task.support.Fixture;
import io.duban.task.support.ReportRole;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The counting rules of SPEC.md ("Counting rules (reports)") computed by report-service's role from
 * the reporting views alone, for the period September 2026 as of Monday 12 October 2026, on items
 * made through the API with the clock pinned. Every expected number is worked out by hand.
 *
 * <p>September–October 2026 (shipped calendar): 20 September (Sunday) is a 调休 make-up workday,
 * 25–27 September 中秋 and 1–7 October 国庆 are off, 10 October (Saturday) is a make-up workday.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CountingRulesFromViewsTest {

    private static final LocalDate FROM = LocalDate.of(2026, 9, 1);
    private static final LocalDate TO = LocalDate.of(2026, 9, 30);
    private static final String SUPERVISOR = DevTokens.supervisor();

    /**
     * One unit's figures for a period and an as-of time, from the reporting views only. Parameters:
     * unit code, first and last day of the period, as-of time.
     */
    static final String UNIT_FIGURES = """
            WITH q AS (
              SELECT p.unit, p.from_day, p.to_day, p.as_of, (p.as_of AT TIME ZONE o.zone)::date AS as_of_day
                FROM (SELECT ?::text AS unit, ?::date AS from_day, ?::date AS to_day, ?::timestamptz AS as_of) p
               CROSS JOIN reporting.office o),
            -- The unit's assignments on items dispatched in the period that it holds at the as-of
            -- time: received by then, not yet reassigned away, not declined (a decline counts apart).
            held AS (
              SELECT a.role, i.*, q.as_of, q.as_of_day
                FROM q
                JOIN reporting.assignments a ON a.unit_code = q.unit AND a.dispatched_at <= q.as_of
                     AND (a.reassigned_at IS NULL OR a.reassigned_at > q.as_of)
                     AND NOT (a.declined AND a.declined_at <= q.as_of)
                JOIN reporting.items i ON i.item_id = a.item_id AND i.dispatched_on BETWEEN q.from_day AND q.to_day),
            lead AS (SELECT * FROM held WHERE role = 'LEAD'),
            received AS (SELECT * FROM lead WHERE cancelled_at IS NULL OR cancelled_at > as_of),
            completed AS (SELECT * FROM received WHERE completed_at <= as_of),
            overdue AS (SELECT * FROM received
                         WHERE (completed_at IS NULL OR completed_at > as_of) AND deadline < as_of_day),
            assist AS (SELECT * FROM held WHERE role = 'ASSIST' AND (cancelled_at IS NULL OR cancelled_at > as_of)),
            figures AS (
              SELECT (SELECT count(*) FROM received) AS received,
                     (SELECT count(*) FROM lead WHERE cancelled_at <= as_of) AS cancelled,
                     (SELECT count(*) FROM completed) AS completed,
                     (SELECT count(*) FROM completed WHERE completed_on <= deadline) AS completed_on_time,
                     (SELECT count(*) FROM completed WHERE completed_on_time) AS flagged_on_time,
                     (SELECT count(*) FROM overdue) AS overdue,
                     (SELECT sum(t.working_index - d.working_index) FROM overdue x
                        JOIN reporting.working_day d ON d.day = x.deadline
                        JOIN reporting.working_day t ON t.day = x.as_of_day) AS working_days_overdue,
                     (SELECT avg(c.working_index - d.working_index) FROM completed x
                        JOIN reporting.working_day d ON d.day = x.dispatched_on
                        JOIN reporting.working_day c ON c.day = x.completed_on) AS average_handling_days,
                     (SELECT count(*) FROM reporting.extension_requests e
                       WHERE e.unit_code = q.unit AND e.requested_on BETWEEN q.from_day AND q.to_day
                         AND e.requested_at <= q.as_of) AS extensions_asked,
                     (SELECT count(*) FROM reporting.extension_requests e
                       WHERE e.unit_code = q.unit AND e.requested_on BETWEEN q.from_day AND q.to_day
                         AND e.status = 'APPROVED' AND e.decided_at <= q.as_of) AS extensions_approved,
                     (SELECT count(*) FROM reporting.urges u
                       WHERE u.unit_code = q.unit AND u.urged_on BETWEEN q.from_day AND q.to_day
                         AND u.urged_at <= q.as_of) AS urges,
                     (SELECT count(*) FROM reporting.assignments a
                       WHERE a.unit_code = q.unit AND a.declined AND a.declined_on BETWEEN q.from_day AND q.to_day
                         AND a.declined_at <= q.as_of) AS declined,
                     (SELECT count(*) FROM assist) AS assist_received,
                     (SELECT count(*) FROM assist WHERE completed_at <= as_of) AS assist_completed
                FROM q)
            SELECT f.*,
                   f.completed::numeric / nullif(f.received, 0) AS completion_rate,
                   f.completed_on_time::numeric / nullif(f.completed, 0) AS on_time_rate
              FROM figures f
            """;

    @Inject
    SettableClock clock;

    /** L: the unit under test; M: takes over what L declines, leads the item L assists; K: declines one to L. */
    String l;
    String m;
    String k;
    final Map<String, String> items = new HashMap<>();
    OffsetDateTime asOf;

    /** Made once for the class, at the first test (RestAssured knows the test port only then). */
    private void fixture() {
        if (asOf != null) {
            return;
        }
        try {
            make();
        } finally {
            clock.reset();
        }
    }

    private void make() {
        l = Fixture.unit("RL");
        m = Fixture.unit("RM");
        k = Fixture.unit("RK");

        at("2026-08-28");
        items.put("before", dispatched(l, List.of(), "2026-09-10"));
        accept("before", l);

        // 00:30 in the office is still 31 August in UTC: the period is in office dates.
        clock.pin(LocalDateTime.of(2026, 9, 1, 0, 30));
        items.put("onTime", dispatched(l, List.of(), "2026-09-15"));
        at("2026-09-01");
        items.put("late", dispatched(l, List.of(), "2026-09-10"));

        at("2026-09-02");
        accept("onTime", l);
        accept("late", l);
        items.put("extended", dispatched(l, List.of(), "2026-09-09"));

        at("2026-09-03");
        items.put("overdue", dispatched(l, List.of(), "2026-09-24"));
        accept("overdue", l);
        accept("extended", l);
        submit("before", l);
        approve("before", "GOOD");

        at("2026-09-04");
        items.put("declined", dispatched(l, List.of(), "2026-09-30"));
        act(DevTokens.handler(l), unitPath("declined", l, "decline"), Map.of("reason", "不属于本单位职责")).statusCode(200);
        items.put("takenOver", dispatched(k, List.of(), "2026-10-30"));
        act(DevTokens.handler(k), unitPath("takenOver", k, "decline"), Map.of("reason", "应由其他单位牵头")).statusCode(200);

        at("2026-09-07");
        reassign("declined", l, m);
        reassign("takenOver", k, l);
        accept("takenOver", l);
        String asked = requestExtension("extended", l, "2026-09-18");

        at("2026-09-08");
        act(SUPERVISOR, "/api/v1/tasks/" + items.get("extended") + "/extension-requests/" + asked + "/approve",
                Map.of("comment", "同意延期")).statusCode(200);
        items.put("assisted", dispatched(m, List.of(l), "2026-09-29"));
        accept("assisted", m);
        accept("assisted", l);

        at("2026-09-09");
        items.put("cancelled", dispatched(l, List.of(), "2026-09-30"));

        at("2026-09-10");
        submit("onTime", l);
        act(DevTokens.handler(l), unitPath("overdue", l, "progress"), Map.of("content", "已完成初步方案", "percent", 40))
                .statusCode(200);

        at("2026-09-11");
        approve("onTime", "EXCELLENT");
        submit("late", l);

        at("2026-09-14");
        approve("late", "FAIR");

        at("2026-09-15");
        act(SUPERVISOR, "/api/v1/tasks/" + items.get("cancelled") + "/cancel", Map.of("reason", "上级已另行部署"))
                .statusCode(200);
        // Every unit still working on it: L (assist) and M (lead).
        act(SUPERVISOR, "/api/v1/tasks/" + items.get("assisted") + "/urge", Map.of("message", "请加快办理进度"))
                .statusCode(200);

        at("2026-09-16");
        submit("extended", l);

        at("2026-09-17");
        approve("extended", "GOOD");

        at("2026-09-20");
        String rejected = requestExtension("overdue", l, "2026-10-30");
        submit("assisted", l);

        at("2026-09-21");
        act(SUPERVISOR, "/api/v1/tasks/" + items.get("overdue") + "/extension-requests/" + rejected + "/reject",
                Map.of("comment", "时限不能再延")).statusCode(200);

        at("2026-09-25");
        urge("overdue", l);

        at("2026-09-28");
        submit("assisted", m);
        approve("assisted", "GOOD");

        at("2026-09-30");
        urge("takenOver", l);

        at("2026-10-09");
        urge("overdue", l);

        at("2026-10-12");
        asOf = clock.instant().atOffset(ZoneOffset.ofHours(8));
    }

    @Test
    void aLeadUnitsFiguresFollowTheCountingRules() {
        fixture();
        Map<String, Object> f = ReportRole.row(UNIT_FIGURES, l, FROM, TO, asOf);
        // onTime, late, extended, overdue, and takenOver (K declined it, L holds it since 7 Sep).
        // Not: declined (L declined it, M holds it), assisted (assist), cancelled, before (dispatched 28 Aug).
        assertEquals(5L, f.get("received"));
        // cancelled on 15 Sep.
        assertEquals(1L, f.get("cancelled"));
        // onTime (11 Sep), late (14 Sep), extended (17 Sep); before was approved in the period but received before it.
        assertEquals(3L, f.get("completed"));
        // onTime: 11 Sep ≤ 15 Sep; extended: 17 Sep ≤ 18 Sep, the approved extension (late against the original 9 Sep).
        // late: 14 Sep > 10 Sep.
        assertEquals(2L, f.get("completed_on_time"));
        // The flag the service stored at approval says the same.
        assertEquals(2L, f.get("flagged_on_time"));
        // overdue: due 24 Sep, open on 12 Oct (its extension was rejected); takenOver is due 30 Oct.
        assertEquals(1L, f.get("overdue"));
        // After 24 Sep up to 12 Oct: 28, 29, 30 Sep, 8, 9, 10 (make-up), 12 Oct; 25–27 Sep and 1–7 Oct are off.
        assertEquals(7L, f.get("working_days_overdue"));
        // onTime 1 Sep→11 Sep: 2, 3, 4, 7, 8, 9, 10, 11 = 8; late 1 Sep→14 Sep: those and 14 = 9;
        // extended 2 Sep→17 Sep: 3, 4, 7–11, 14–17 = 11. (8 + 9 + 11) / 3.
        assertEquals(28.0 / 3, ((BigDecimal) f.get("average_handling_days")).doubleValue(), 1e-9);
        // extended (asked 7 Sep, approved) and overdue (asked 20 Sep, rejected).
        assertEquals(2L, f.get("extensions_asked"));
        assertEquals(1L, f.get("extensions_approved"));
        // assisted (15 Sep, as assist unit), overdue (25 Sep), takenOver (30 Sep); overdue's second urge is on 9 Oct.
        assertEquals(3L, f.get("urges"));
        // declined, on 4 Sep.
        assertEquals(1L, f.get("declined"));
        // assisted, approved on 28 Sep; it never enters L's rates.
        assertEquals(1L, f.get("assist_received"));
        assertEquals(1L, f.get("assist_completed"));
        // 3 / 5 and 2 / 3.
        assertEquals(0.6, ((BigDecimal) f.get("completion_rate")).doubleValue(), 1e-9);
        assertEquals(2.0 / 3, ((BigDecimal) f.get("on_time_rate")).doubleValue(), 1e-9);
    }

    @Test
    void aReassignedItemCountsForTheUnitThatHoldsIt() {
        fixture();
        Map<String, Object> f = ReportRole.row(UNIT_FIGURES, m, FROM, TO, asOf);
        // declined (from L on 7 Sep) and assisted (M leads).
        assertEquals(2L, f.get("received"));
        // assisted, approved 28 Sep ≤ due 29 Sep.
        assertEquals(1L, f.get("completed"));
        assertEquals(1L, f.get("completed_on_time"));
        // declined: due 30 Sep, still waiting for M to accept on 12 Oct.
        assertEquals(1L, f.get("overdue"));
        // After 30 Sep up to 12 Oct: 8, 9, 10 (make-up), 12 Oct.
        assertEquals(4L, f.get("working_days_overdue"));
        // assisted 8 Sep→28 Sep: 9–11, 14–18, 20 (make-up), 21–24, 28 = 14.
        assertEquals(14.0, ((BigDecimal) f.get("average_handling_days")).doubleValue(), 1e-9);
        // The urge of every unit on assisted, 15 Sep.
        assertEquals(1L, f.get("urges"));
        assertEquals(0L, f.get("declined"));
        assertEquals(0L, f.get("assist_received"));
    }

    @Test
    void aUnitThatOnlyDeclinedHasADeclinedCountAndNoRates() {
        fixture();
        Map<String, Object> f = ReportRole.row(UNIT_FIGURES, k, FROM, TO, asOf);
        // takenOver went to L on 7 Sep.
        assertEquals(0L, f.get("received"));
        assertEquals(1L, f.get("declined"));
        assertEquals(0L, f.get("completed"));
        assertEquals(0L, f.get("urges"));
        // A rate with a zero denominator is null, not 0.
        assertNull(f.get("completion_rate"));
        assertNull(f.get("on_time_rate"));
        assertNull(f.get("average_handling_days"));
        assertNull(f.get("working_days_overdue"));
    }

    /**
     * V14's summary cells, kept by triggers on every write this fixture (and every other test of
     * this database) made through the API, are exactly the cells recounted from the views now: the
     * same sums for every (kind, unit, day, deadline), and a latest event no earlier than recounted.
     */
    @Test
    void theSummaryCellsTheWritesKeptAreTheCellsRecountedFromTheViews() throws Exception {
        fixture();
        String counts = "held, received, completed, on_time, cancelled, handling_days, open_lead, assist_received,"
                + " assist_completed, open_assist, ext_asked, ext_approved, urges, declines";
        String nonZero = "(" + counts.replace(",", " <> 0 OR") + " <> 0)";
        String sql = "WITH fresh AS (SELECT g.grain, kind, unit_code, g.day, deadline, "
                + counts.replaceAll("(\\w+)", "sum($1) AS $1") + ", max(max_event_at) AS max_event_at"
                + " FROM task.report_part_source p CROSS JOIN LATERAL (VALUES ('D', p.day),"
                + " ('M', date_trunc('month', p.day)::date)) g (grain, day) GROUP BY 1, 2, 3, 4, 5),"
                + " kept AS (SELECT * FROM task.report_cell WHERE " + nonZero + "),"
                + " shown AS (SELECT * FROM fresh WHERE " + nonZero + ")"
                + " SELECT (SELECT count(*) FROM shown) AS cells,"
                + " (SELECT count(*) FROM shown s FULL JOIN kept k ON k.grain = s.grain AND k.kind = s.kind"
                + "   AND k.unit_code IS NOT DISTINCT FROM s.unit_code"
                + "   AND k.day = s.day AND k.deadline = s.deadline"
                + "  WHERE (" + counts.replaceAll("(\\w+)", "s.$1") + ")"
                + "    IS DISTINCT FROM (" + counts.replaceAll("(\\w+)", "k.$1") + ")"
                + "     OR k.max_event_at < s.max_event_at) AS differing,"
                + " (SELECT sum(declines) FROM shown) AS declines, (SELECT count(*) FROM shown WHERE open_lead > 0) AS open_cells";
        try (java.sql.Connection c = io.duban.testing.TestDatabase.forModule("task-service").admin();
                java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            assertEquals(0, rs.getLong("differing"), "cells kept by the triggers that differ from a recount");
            org.junit.jupiter.api.Assertions.assertTrue(rs.getLong("cells") > 0, "the fixture has cells");
            org.junit.jupiter.api.Assertions.assertTrue(rs.getLong("declines") > 0, "the fixture has a decline");
            org.junit.jupiter.api.Assertions.assertTrue(rs.getLong("open_cells") > 0, "the fixture has open assignments");
            assertEquals(0, RollupAtCommitTest.openRowsDiffering(c), "open rows kept by the triggers that differ from the views");
        }
    }

    @Test
    void theViewsTellWhatHappenedToEachAssignment() {
        fixture();
        // K declined takenOver on 4 Sep and the office gave it to L on 7 Sep.
        Map<String, Object> fromK = ReportRole.row("SELECT * FROM reporting.assignments WHERE item_id = ? AND unit_code = ?",
                id("takenOver"), k);
        assertEquals("REASSIGNED", fromK.get("status"));
        assertEquals(false, fromK.get("held"));
        assertEquals(true, fromK.get("declined"));
        assertEquals(LocalDate.of(2026, 9, 4), fromK.get("declined_on"));
        assertEquals("应由其他单位牵头", fromK.get("decline_reason"));
        assertEquals(l, fromK.get("reassigned_to"));
        assertEquals(LocalDate.of(2026, 9, 7), fromK.get("reassigned_on"));
        Map<String, Object> toL = ReportRole.row("SELECT * FROM reporting.assignments WHERE item_id = ? AND unit_code = ?",
                id("takenOver"), l);
        assertEquals("IN_PROGRESS", toL.get("status"));
        assertEquals(true, toL.get("held"));
        assertEquals(k, toL.get("reassigned_from"));
        assertEquals(LocalDate.of(2026, 9, 7), toL.get("dispatched_on"));
        assertEquals(LocalDate.of(2026, 10, 30), toL.get("deadline"));
        assertEquals(1, toL.get("urge_count"));

        // The dispatch at 00:30 on 1 Sep, office time, is on 1 Sep although it is 31 Aug in UTC.
        Map<String, Object> onTime = ReportRole.row("SELECT * FROM reporting.items WHERE item_id = ?", id("onTime"));
        assertEquals(Instant.parse("2026-08-31T16:30:00Z"), ((OffsetDateTime) onTime.get("dispatched_at")).toInstant());
        assertEquals(LocalDate.of(2026, 9, 1), onTime.get("dispatched_on"));
        assertEquals("EXCELLENT", onTime.get("rating"));
        Map<String, Object> extended = ReportRole.row("SELECT * FROM reporting.items WHERE item_id = ?", id("extended"));
        assertEquals(LocalDate.of(2026, 9, 18), extended.get("deadline"));
        assertEquals(LocalDate.of(2026, 9, 9), extended.get("original_deadline"));
        assertEquals(LocalDate.of(2026, 9, 17), extended.get("completed_on"));

        Map<String, Object> overdue = ReportRole.row("SELECT * FROM reporting.assignments WHERE item_id = ? AND unit_code = ?",
                id("overdue"), l);
        assertEquals(1L, overdue.get("progress_reports"));
        assertEquals(40, overdue.get("last_progress_percent"));
        assertEquals(LocalDate.of(2026, 9, 10), overdue.get("last_progress_on"));
        assertEquals(List.of(Map.of("urged_on", LocalDate.of(2026, 9, 25), "urge_number", 1, "role", "LEAD"),
                Map.of("urged_on", LocalDate.of(2026, 10, 9), "urge_number", 2, "role", "LEAD")),
                ReportRole.rows("SELECT urged_on, urge_number, role FROM reporting.urges WHERE item_id = ? ORDER BY urged_at",
                        id("overdue")));
        assertEquals(List.of(Map.of("status", "REJECTED", "decided_on", LocalDate.of(2026, 9, 21), "role", "LEAD")),
                ReportRole.rows("SELECT status, decided_on, role FROM reporting.extension_requests WHERE item_id = ?",
                        id("overdue")));
        assertEquals(List.of(Map.of("unit_code", l, "percent", 40, "reported_on", LocalDate.of(2026, 9, 10))),
                ReportRole.rows("SELECT unit_code, percent, reported_on FROM reporting.progress_reports WHERE item_id = ?",
                        id("overdue")));
        assertEquals(Map.of("URGE", 2L, "REQUEST_EXTENSION", 1L, "REJECT_EXTENSION", 1L, "REPORT_PROGRESS", 1L),
                timelineCounts("overdue", List.of("URGE", "REQUEST_EXTENSION", "REJECT_EXTENSION", "REPORT_PROGRESS")));
    }

    private Map<String, Long> timelineCounts(String item, List<String> actions) {
        Map<String, Long> out = new HashMap<>();
        for (Map<String, Object> r : ReportRole.rows("SELECT action, entries FROM reporting.timeline_counts"
                + " WHERE item_id = ?", id(item))) {
            if (actions.contains((String) r.get("action"))) {
                out.put((String) r.get("action"), (Long) r.get("entries"));
            }
        }
        return out;
    }

    private UUID id(String item) {
        return UUID.fromString(items.get(item));
    }

    private void at(String day) {
        clock.pin(LocalDate.parse(day));
    }

    private static String dispatched(String lead, List<String> assists, String deadline) {
        Map<String, Object> body = new HashMap<>(Fixture.item(lead, assists));
        body.put("deadline", deadline);
        body.put("feedbackCycle", "NONE");
        String id = given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        act(SUPERVISOR, "/api/v1/tasks/" + id + "/dispatch", null).statusCode(200);
        return id;
    }

    private String unitPath(String item, String unit, String action) {
        return "/api/v1/tasks/" + items.get(item) + "/assignments/" + unit + "/" + action;
    }

    private void accept(String item, String unit) {
        act(DevTokens.handler(unit), unitPath(item, unit, "accept"), null).statusCode(200);
    }

    private void submit(String item, String unit) {
        act(DevTokens.handler(unit), unitPath(item, unit, "submit"), Map.of("summary", "已按要求办结")).statusCode(200);
    }

    private void approve(String item, String rating) {
        act(SUPERVISOR, "/api/v1/tasks/" + items.get(item) + "/review", Map.of("decision", "APPROVE", "rating", rating))
                .statusCode(200);
    }

    private void reassign(String item, String from, String to) {
        act(SUPERVISOR, unitPath(item, from, "reassign"), Map.of("toUnit", to, "note", "转办")).statusCode(200);
    }

    private String requestExtension(String item, String unit, String to) {
        return act(DevTokens.handler(unit), unitPath(item, unit, "extension-requests"),
                Map.of("requestedDeadline", to, "reason", "需协调多个部门")).statusCode(201).extract().path("id");
    }

    private void urge(String item, String unit) {
        act(SUPERVISOR, "/api/v1/tasks/" + items.get(item) + "/urge", Map.of("unitCode", unit, "message", "请抓紧办理"))
                .statusCode(200);
    }
}
