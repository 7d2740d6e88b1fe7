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
     * {@code standing} (see {@link #standsAt}), the overdue ones are further on items with an open
     * assignment whose deadline is before the as-of date ({@code reporting.open_parts}, by its deadline
     * index): a few thousand items at a city's scale instead of every open one.
     */
    static void held(Sql sql, ReportFilter f, Measure m, boolean standing) {
        sql.append("""
                WITH q AS (
                  SELECT CAST(? AS timestamptz) AS as_of, (CAST(? AS timestamptz) AT TIME ZONE o.zone)::date AS as_of_day, o.zone
                    FROM reporting.office o),
                it AS MATERIALIZED (
                  SELECT i.item_id, i.number, i.title, i.source_type, i.priority, i.category, i.responsible_leader, i.rating,
                         i.dispatched_on, i.completed_at, i.completed_on, i.cancelled_at, i.feedback_cycle
                    FROM reporting.items i
                   WHERE i.dispatched_at IS NOT NULL""", f.asOf(), f.asOf());
        // The period by timestamps (the office day's bounds), which the planner estimates well.
        if (f.from() != null) {
            sql.append(" AND i.dispatched_at >= (CAST(? AS date)::timestamp AT TIME ZONE (SELECT zone FROM reporting.office))",
                    f.from());
        }
        if (f.to() != null) {
            sql.append(" AND i.dispatched_at < ((CAST(? AS date) + 1)::timestamp AT TIME ZONE (SELECT zone FROM reporting.office))",
                    f.to());
        }
        if (m == Measure.OPEN || m == Measure.OVERDUE || m == Measure.ASSIST_OVERDUE) {
            sql.append(" AND (i.completed_at IS NULL OR i.completed_at > CAST(? AS timestamptz))"
                    + " AND (i.cancelled_at IS NULL OR i.cancelled_at > CAST(? AS timestamptz))", f.asOf(), f.asOf());
        }
        if (standing && readsOpenParts(m)) {
            sql.append(" AND i.item_id IN (SELECT p.item_id FROM reporting.open_parts p"
                    + " WHERE p.deadline < (SELECT q.as_of_day FROM q)");
            if (f.unit() != null) {
                sql.append(" AND p.unit_code = ?", f.unit());
            }
            sql.append(")");
        }
        if (f.source() != null) {
            sql.append(" AND i.source_type = ?", f.source());
        }
        if (f.priority() != null) {
            sql.append(" AND i.priority = ?", f.priority());
        }
        if (f.category() != null) {
            sql.append(" AND i.category = ?", f.category());
        }
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

    /** The measures whose rows {@link #held} narrows to items with an open assignment past its deadline. */
    static boolean readsOpenParts(Measure m) {
        return m == Measure.OVERDUE || m == Measure.ASSIST_OVERDUE;
    }

    /**
     * Whether the items of the period stand at the as-of time as they stand now: no monthly cell of
     * the period's months holds an event after it (the cells' own rule, {@code max_event_at}). Then
     * what task-service keeps of the items now ({@code open_parts}, the cells) is what they were at
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
