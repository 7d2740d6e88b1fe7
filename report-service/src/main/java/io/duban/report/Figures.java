package io.duban.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The counting rules of SPEC.md as SQL over the reporting views, in one place: the assignments a
 * unit holds at the as-of time on items dispatched in the period ({@link #held}), and each figure as
 * a predicate over them ({@link Measure}). The summary counts rows with these predicates and the
 * lists return the rows themselves, so every count opens the list it counts.
 */
final class Figures {

    private Figures() {
    }

    /** A figure of the summary that is a count of assignments, and the list behind it. */
    enum Measure {
        RECEIVED("h.role = 'LEAD' AND h.received"),
        COMPLETED("h.role = 'LEAD' AND h.completed"),
        ON_TIME("h.role = 'LEAD' AND h.completed AND h.completed_on <= h.deadline"),
        LATE("h.role = 'LEAD' AND h.completed AND h.completed_on > h.deadline"),
        OPEN("h.role = 'LEAD' AND h.received AND NOT h.completed"),
        OVERDUE("h.role = 'LEAD' AND h.overdue"),
        CANCELLED("h.role = 'LEAD' AND h.cancelled"),
        ASSIST_RECEIVED("h.role = 'ASSIST' AND h.received"),
        ASSIST_COMPLETED("h.role = 'ASSIST' AND h.completed"),
        ASSIST_OVERDUE("h.role = 'ASSIST' AND h.overdue");

        final String predicate;

        Measure(String predicate) {
            this.predicate = predicate;
        }

        String param() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The with-clause {@code q} (the as-of time and day, the period) and {@code held}: one row per
     * assignment that its unit holds at the as-of time (received by then, not reassigned away by then,
     * not declined by then) on an item dispatched in the period, with the facts the measures read.
     * The deadline is the one in force at the as-of time: an extension approved later is undone.
     */
    static void held(Sql sql, ReportFilter f) {
        held(sql, f, null, false);
    }

    /**
     * As {@link #held(Sql, ReportFilter)}, for one measure: the open ones ({@link Measure#OPEN},
     * {@link Measure#OVERDUE}, {@link Measure#ASSIST_OVERDUE}) are on items neither completed nor
     * cancelled at the as-of time, which the items' indexes find without reading every item. With
     * {@code standing} (see {@link #standsAt}), an overdue measure's {@code held} is instead read from
     * {@code reporting.open_assignments} (task-service V16: the open assignments as they stand now,
     * kept at every write), only the measure's role past its deadline, in list order by its index,
     * with the row's last progress report and urges as kept ({@code last_progress_at},
     * {@code last_progress_percent}, {@code urges}, {@code last_urged_at}: the list looks up the few
     * that are later than the as-of time).
     */
    static void held(Sql sql, ReportFilter f, Measure m, boolean standing) {
        sql.append("""
                WITH q AS (
                  SELECT CAST(? AS timestamptz) AS as_of, (CAST(? AS timestamptz) AT TIME ZONE o.zone)::date AS as_of_day, o.zone
                    FROM reporting.office o),
                """, f.asOf(), f.asOf());
        if (standing && readsOpenAssignments(m)) {
            openHeld(sql, f, m);
            return;
        }
        sql.append("""
                it AS MATERIALIZED (
                  SELECT i.item_id, i.number, i.title, i.source_type, i.priority, i.category, i.responsible_leader, i.rating,
                         i.dispatched_on, i.completed_at, i.completed_on, i.cancelled_at, i.feedback_cycle
                    FROM reporting.items i
                   WHERE i.dispatched_at IS NOT NULL""");
        period(sql, f, "i.dispatched_at");
        if (m == Measure.OPEN || m == Measure.OVERDUE || m == Measure.ASSIST_OVERDUE) {
            sql.append(" AND (i.completed_at IS NULL OR i.completed_at > CAST(? AS timestamptz))"
                    + " AND (i.cancelled_at IS NULL OR i.cancelled_at > CAST(? AS timestamptz))", f.asOf(), f.asOf());
        }
        itemFilters(sql, f, "i.");
        sql.append("""
                ),
                raw AS (
                  SELECT a.assignment_id, a.item_id, a.unit_code, a.role, a.status, a.dispatched_at,
                         it.number, it.title, it.source_type, it.priority, it.category, it.responsible_leader, it.rating,
                         it.dispatched_on, it.completed_at, it.completed_on, it.cancelled_at, it.feedback_cycle,
                         coalesce((SELECT e.current_deadline FROM reporting.extension_requests e
                                    WHERE e.item_id = a.item_id AND e.assignment_id = a.assignment_id
                                      AND e.status = 'APPROVED' AND e.decided_at > q.as_of
                                    ORDER BY e.decided_at LIMIT 1), a.deadline) AS deadline,
                         q.as_of, q.as_of_day
                    FROM q CROSS JOIN it
                   -- Item by item through the assignment index (OFFSET 0 keeps the planner from flattening it).
                   CROSS JOIN LATERAL (SELECT x.assignment_id, x.item_id, x.unit_code, x.role, x.status, x.dispatched_at,
                                              x.deadline, x.reassigned_at, x.declined, x.declined_at
                                         FROM reporting.assignments x WHERE x.item_id = it.item_id""");
        if (f.unit() != null) {
            sql.append(" AND x.unit_code = ?", f.unit());
        }
        if (f.role() != null) {
            sql.append(" AND x.role = ?", f.role());
        }
        sql.append("""
                 OFFSET 0) a
                   WHERE a.dispatched_at <= q.as_of
                     AND (a.reassigned_at IS NULL OR a.reassigned_at > q.as_of)
                     AND NOT (a.declined AND a.declined_at <= q.as_of)),
                held AS (
                  SELECT r.*,
                         r.cancelled_at IS NOT NULL AND r.cancelled_at <= r.as_of AS cancelled,
                         (r.cancelled_at IS NULL OR r.cancelled_at > r.as_of) AS received,
                         (r.cancelled_at IS NULL OR r.cancelled_at > r.as_of) AND coalesce(r.completed_at <= r.as_of, false) AS completed,
                         (r.cancelled_at IS NULL OR r.cancelled_at > r.as_of)
                           AND (r.completed_at IS NULL OR r.completed_at > r.as_of) AND r.deadline < r.as_of_day AS overdue
                    FROM raw r)
                """);
    }

    /**
     * {@code held} of an overdue measure from the open assignments as they stand now: while the period
     * stands at the as-of time, an assignment overdue then is open now, with the same deadline, and
     * was received, held and not completed then. Its columns are those of the views' {@code held}
     * that the lists and the measure's predicate read, and the row's kept report and urges.
     */
    private static void openHeld(Sql sql, ReportFilter f, Measure m) {
        sql.append("""
                held AS (
                  SELECT o.assignment_id, o.item_id, o.unit_code, o.role, o.status, o.item_number AS number, o.title,
                         o.source_type, o.priority, o.category, o.responsible_leader, o.dispatched_on, o.deadline,
                         o.last_progress_at, o.last_progress_percent, o.urges, o.last_urged_at,
                         true AS received, false AS completed, false AS cancelled, true AS overdue, q.as_of, q.as_of_day
                    FROM q CROSS JOIN reporting.open_assignments o
                   WHERE o.role = ? AND o.deadline < (SELECT q.as_of_day FROM q)""",
                m == Measure.ASSIST_OVERDUE ? "ASSIST" : "LEAD");
        if (f.unit() != null) {
            sql.append(" AND o.unit_code = ?", f.unit());
        }
        if (f.role() != null) {
            sql.append(" AND o.role = ?", f.role());
        }
        period(sql, f, "o.item_dispatched_at");
        itemFilters(sql, f, "o.");
        sql.append(")\n");
    }

    /** The period by timestamps (the office day's bounds), which the planner estimates well. */
    private static void period(Sql sql, ReportFilter f, String dispatchedAt) {
        if (f.from() != null) {
            sql.append(" AND " + dispatchedAt
                    + " >= (CAST(? AS date)::timestamp AT TIME ZONE (SELECT zone FROM reporting.office))", f.from());
        }
        if (f.to() != null) {
            sql.append(" AND " + dispatchedAt
                    + " < ((CAST(? AS date) + 1)::timestamp AT TIME ZONE (SELECT zone FROM reporting.office))", f.to());
        }
    }

    /** The filters on the item's source, priority and category, on a relation with those columns. */
    private static void itemFilters(Sql sql, ReportFilter f, String alias) {
        if (f.source() != null) {
            sql.append(" AND " + alias + "source_type = ?", f.source());
        }
        if (f.priority() != null) {
            sql.append(" AND " + alias + "priority = ?", f.priority());
        }
        if (f.category() != null) {
            sql.append(" AND " + alias + "category = ?", f.category());
        }
    }

    /** The measures whose rows {@link #held} can read from the open assignments while the period stands. */
    static boolean readsOpenAssignments(Measure m) {
        return m == Measure.OVERDUE || m == Measure.ASSIST_OVERDUE;
    }

    /**
     * Whether the items of the period stand at the as-of time as they stand now: no monthly cell of
     * the period's months holds an event after it (the cells' own rule, {@code max_event_at}). Then
     * what task-service keeps of the items now (the open assignments, the cells) is what they were at
     * the as-of time, and an assignment overdue then is open now with its deadline before that date.
     */
    static boolean standsAt(Connection c, ReportFilter f) throws SQLException {
        Sql sql = new Sql().append("SELECT coalesce(max(c.max_event_at) <= CAST(? AS timestamptz), true)"
                + " FROM reporting.summary_cells c WHERE c.grain = 'M'", f.asOf());
        if (f.from() != null) {
            sql.append(" AND c.day >= ?", f.from().withDayOfMonth(1));
        }
        if (f.to() != null) {
            sql.append(" AND c.day <= ?", f.to());
        }
        try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Working days from a to b (a not counted, b counted), the calculator's workingDaysBetween. */
    static String workingDaysBetween(String a, String b) {
        return "(SELECT wb.working_index - wa.working_index FROM reporting.working_day wa, reporting.working_day wb"
                + " WHERE wa.day = " + a + " AND wb.day = " + b + ")";
    }
}
