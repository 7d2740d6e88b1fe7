package io.duban.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The summary (统计汇总): SPEC.md's counting rules for a period and an as-of time, grouped by unit,
 * source, priority, category or month of dispatch, with a totals row. Counts of assignments use the
 * predicates of {@link Figures.Measure}; extensions, urges and declines count by their own dates.
 */
@ApplicationScoped
public class SummaryReport {

    public enum GroupBy {
        unit, source, priority, category, month
    }

    @Schema(name = "SummaryRow", description = "One group's figures (lead assignments unless named assist)")
    public record Row(@Schema(description = "The group: unit code, source type, priority, category or YYYY-MM; null in the totals row")
            String key, String label,
            long received, long completed, long completedOnTime, long completedLate, long open, long overdue,
            @Schema(description = "Sum of the working days overdue of the overdue ones") long workingDaysOverdue,
            long cancelled,
            @Schema(description = "completed / received; null when nothing was received") Double completionRate,
            @Schema(description = "completedOnTime / completed; null when nothing was completed") Double onTimeRate,
            @Schema(description = "Mean working days from dispatch to approval over the completed; null when none")
            Double averageHandlingDays,
            long extensionsAsked, long extensionsApproved, long urges, long declined,
            long assistReceived, long assistCompleted, long assistOverdue,
            @JsonIgnore @Schema(hidden = true) long handlingDaysSum) {

        static Row of(String key, String label, long[] n) {
            return new Row(key, label, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7],
                    rate(n[1], n[0]), rate(n[2], n[1]), rate(n[14], n[1]),
                    n[8], n[9], n[10], n[11], n[12], n[13], n[15], n[14]);
        }
    }

    @Schema(name = "Summary")
    public record Summary(LocalDate from, LocalDate to, Instant asOf, GroupBy groupBy, List<Row> rows,
            @Schema(description = "All rows together; rates recomputed from the sums") Row totals) {
    }

    private final DataSource db;

    public SummaryReport(DataSource db) {
        this.db = db;
    }

    static Double rate(long numerator, long denominator) {
        return denominator == 0 ? null
                : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 6, RoundingMode.HALF_UP).doubleValue();
    }

    public Summary summary(ReportFilter f, GroupBy groupBy) {
        if (f.from() != null && f.to() != null && f.source() == null && f.priority() == null && f.category() == null
                && f.role() == null && (groupBy == GroupBy.unit || groupBy == GroupBy.month)) {
            Summary s = fromCells(f, groupBy);
            if (s != null) {
                return s;
            }
        }
        Sql sql = new Sql();
        Figures.held(sql, f);
        String key = switch (groupBy) {
            case unit -> "x.unit_code";
            case source -> "x.source_type";
            case priority -> "x.priority";
            case category -> "coalesce(x.category, '')";
            case month -> "to_char(x.on_day, 'YYYY-MM')";
        };
        String eventFilter = " AND x.on_day BETWEEN ? AND ?" + (f.unit() != null ? " AND x.unit_code = ?" : "")
                + (f.source() != null ? " AND x.source_type = ?" : "") + (f.priority() != null ? " AND x.priority = ?" : "")
                + (f.category() != null ? " AND x.category = ?" : "");
        sql.append(", facts AS (SELECT h.*, h.dispatched_on AS on_day,"
                + " t.working_index - d.working_index AS days_overdue, c.working_index - s.working_index AS handling_days"
                + " FROM held h"
                + " LEFT JOIN reporting.working_day d ON d.day = h.deadline"
                + " LEFT JOIN reporting.working_day t ON t.day = h.as_of_day"
                + " LEFT JOIN reporting.working_day s ON s.day = h.dispatched_on"
                + " LEFT JOIN reporting.working_day c ON c.day = h.completed_on),"
                + " ext AS (SELECT e.unit_code, i.source_type, i.priority, i.category, e.requested_on AS on_day,"
                + "   e.status = 'APPROVED' AND e.decided_at <= q.as_of AS approved"
                + "   FROM q, reporting.extension_requests e JOIN reporting.items i ON i.item_id = e.item_id"
                + "  WHERE e.requested_at <= q.as_of),"
                + " urg AS (SELECT g.unit_code, i.source_type, i.priority, i.category, g.urged_on AS on_day"
                + "   FROM q, reporting.urges g JOIN reporting.items i ON i.item_id = g.item_id WHERE g.urged_at <= q.as_of),"
                + " dec AS (SELECT a.unit_code, i.source_type, i.priority, i.category, a.declined_on AS on_day"
                + "   FROM q, reporting.assignments a JOIN reporting.items i ON i.item_id = a.item_id"
                + "  WHERE a.declined AND a.declined_at <= q.as_of)"
                + " SELECT k, sum(received), sum(completed), sum(on_time), sum(late), sum(open), sum(overdue),"
                + " sum(days_overdue), sum(cancelled), sum(ext_asked), sum(ext_approved), sum(urges), sum(declined),"
                + " sum(assist_received), sum(assist_completed), sum(handling), sum(assist_overdue)"
                + " FROM (");
        StringBuilder counts = new StringBuilder();
        for (Figures.Measure m : List.of(Figures.Measure.RECEIVED, Figures.Measure.COMPLETED, Figures.Measure.ON_TIME,
                Figures.Measure.LATE, Figures.Measure.OPEN, Figures.Measure.OVERDUE)) {
            counts.append("count(*) FILTER (WHERE ").append(m.predicate.replace("h.", "x.")).append("), ");
        }
        sql.append("SELECT " + key + " AS k, " + counts
                + "coalesce(sum(x.days_overdue) FILTER (WHERE " + Figures.Measure.OVERDUE.predicate.replace("h.", "x.") + "), 0), "
                + "count(*) FILTER (WHERE " + Figures.Measure.CANCELLED.predicate.replace("h.", "x.") + "), 0, 0, 0, 0, "
                + "count(*) FILTER (WHERE " + Figures.Measure.ASSIST_RECEIVED.predicate.replace("h.", "x.") + "), "
                + "count(*) FILTER (WHERE " + Figures.Measure.ASSIST_COMPLETED.predicate.replace("h.", "x.") + "), "
                + "coalesce(sum(x.handling_days) FILTER (WHERE " + Figures.Measure.COMPLETED.predicate.replace("h.", "x.") + "), 0), "
                + "count(*) FILTER (WHERE " + Figures.Measure.ASSIST_OVERDUE.predicate.replace("h.", "x.") + ")"
                + " FROM facts x GROUP BY 1");
        sql.append(" UNION ALL SELECT " + key + ", 0, 0, 0, 0, 0, 0, 0, 0, count(*), count(*) FILTER (WHERE x.approved), 0, 0, 0, 0, 0, 0"
                + " FROM ext x WHERE true" + eventFilter + " GROUP BY 1");
        eventParams(sql, f);
        sql.append(" UNION ALL SELECT " + key + ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0"
                + " FROM urg x WHERE true" + eventFilter + " GROUP BY 1");
        eventParams(sql, f);
        sql.append(" UNION ALL SELECT " + key + ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0"
                + " FROM dec x WHERE true" + eventFilter + " GROUP BY 1");
        eventParams(sql, f);
        sql.append(") g (k, received, completed, on_time, late, open, overdue, days_overdue, cancelled, ext_asked,"
                + " ext_approved, urges, declined, assist_received, assist_completed, handling, assist_overdue)"
                + " GROUP BY k ORDER BY k");
        try (Connection c = db.getConnection()) {
            Map<String, String> unitNames = groupBy == GroupBy.unit ? unitNames(c) : Map.of();
            List<Row> rows = new ArrayList<>();
            long[] total = new long[16];
            try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs, total, groupBy, unitNames));
                }
            }
            return new Summary(f.from(), f.to(), f.asOf(), groupBy, rows, Row.of(null, "合计", total));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The summary from task-service's pre-aggregated cells ({@code reporting.summary_cells}: each
     * item's figures as it stands now, kept by task-service's triggers), or null when they cannot
     * answer: some cell of the period holds an event after the as-of time (the figures then stood
     * otherwise, and are counted from the views). Overdue counts and their working days compare the
     * open assignments' deadlines with the as-of date here.
     */
    private Summary fromCells(ReportFilter f, GroupBy groupBy) {
        String key = groupBy == GroupBy.unit ? "c.unit_code" : "to_char(c.day, 'YYYY-MM')";
        try (Connection c = db.getConnection()) {
            // One snapshot for the ranges and the sums: a cell written between them would count in a
            // monthly cell that was judged to hold only the period's days.
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                return sumCells(c, f, groupBy, key);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sums of the period's cells on a connection in one snapshot (see {@link #fromCells}). */
    private Summary sumCells(Connection c, ReportFilter f, GroupBy groupBy, String key) throws SQLException {
        CellRanges r = CellRanges.of(c, f.from(), f.to());
        Sql sql = new Sql().append("WITH q AS (SELECT (CAST(? AS timestamptz) AT TIME ZONE o.zone)::date AS as_of_day"
                + " FROM reporting.office o)"
                + " SELECT " + key + " AS k, sum(c.received), sum(c.completed), sum(c.on_time), sum(c.completed) - sum(c.on_time),"
                + " sum(c.received) - sum(c.completed), sum(c.open_lead) FILTER (WHERE c.deadline < q.as_of_day),"
                + " sum(c.open_lead * (t.working_index - (SELECT d.working_index FROM reporting.working_day d WHERE d.day = c.deadline))) FILTER (WHERE c.deadline < q.as_of_day),"
                + " sum(c.cancelled), sum(c.ext_asked), sum(c.ext_approved), sum(c.urges), sum(c.declines),"
                + " sum(c.assist_received), sum(c.assist_completed), sum(c.handling_days),"
                + " sum(c.open_assist) FILTER (WHERE c.deadline < q.as_of_day),"
                + " sum(c.held) > 0 OR sum(c.ext_asked + c.urges + c.declines) > 0 AS shown, max(c.max_event_at) AS last_event"
                + " FROM q CROSS JOIN reporting.summary_cells c"
                + " LEFT JOIN reporting.working_day t ON t.day = q.as_of_day"
                // Whole months of the period from the monthly cells, its ragged ends from the daily ones.
                // (three plain ranges, which a generic plan of the prepared statement also reads by the index)
                + " WHERE ((c.grain = 'M' AND c.day >= ? AND c.day < ?)"
                + " OR (c.grain = 'D' AND c.day >= ? AND c.day < ?) OR (c.grain = 'D' AND c.day >= ? AND c.day <= ?))",
                f.asOf(), r.monthsFrom(), r.monthsTo(), f.from(), r.headEnd(), r.tailFrom(), f.to());
        if (f.unit() != null) {
            sql.append(" AND c.unit_code = ?", f.unit());
        }
        sql.append(" GROUP BY 1 ORDER BY 1");
        Map<String, String> unitNames = groupBy == GroupBy.unit ? unitNames(c) : Map.of();
        List<Row> rows = new ArrayList<>();
        long[] total = new long[16];
        try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Timestamp last = rs.getTimestamp("last_event");
                if (last != null && last.toInstant().isAfter(f.asOf())) {
                    return null;
                }
                if (rs.getBoolean("shown")) {
                    rows.add(row(rs, total, groupBy, unitNames));
                }
            }
        }
        return new Summary(f.from(), f.to(), f.asOf(), groupBy, rows, Row.of(null, "合计", total));
    }

    /**
     * Which cells make up the period [from, to]: the monthly cells of [monthsFrom, monthsTo), the daily
     * ones of [from, headEnd) and [tailFrom, to]. Whole months come from the monthly cells; a ragged end
     * from the daily ones, unless its month has no daily cell outside the period (as the current month
     * when the period ends today, or a month before the first item): then its monthly cell is the same
     * sum, in a fraction of the rows (at 1,000,000 items the current month has 70,623 daily cells and
     * 16,025 monthly ones).
     */
    record CellRanges(LocalDate monthsFrom, LocalDate monthsTo, LocalDate headEnd, LocalDate tailFrom) {

        static CellRanges of(Connection c, LocalDate from, LocalDate to) throws SQLException {
            // [first, end): the first days of the first whole month of the period and of the month after its last whole one.
            LocalDate first = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
            LocalDate end = to.plusDays(1).withDayOfMonth(1);
            LocalDate monthsFrom = first;
            LocalDate monthsTo = end.isAfter(first) ? end : first;
            // The ragged ends by day: [from, headEnd) before the first whole month, [tailFrom, to] after the last.
            LocalDate headEnd = first.isBefore(to.plusDays(1)) ? first : to.plusDays(1);
            LocalDate tailFrom = monthsTo;
            boolean head = first.isAfter(from) && !first.isAfter(to);  // from's month ragged, and ends within the period
            boolean tail = !end.isBefore(first) && !end.isAfter(to);   // to's month ragged, and starts within the period
            if (head || tail) {
                try (PreparedStatement s = new Sql().append("SELECT"
                        + " NOT EXISTS (SELECT 1 FROM reporting.summary_cells c WHERE c.grain = 'D' AND c.day >= ? AND c.day < ?),"
                        + " NOT EXISTS (SELECT 1 FROM reporting.summary_cells c WHERE c.grain = 'D' AND c.day > ? AND c.day < ?)",
                        from.withDayOfMonth(1), from, to, end.plusMonths(1)).prepare(c); ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (head && rs.getBoolean(1)) {
                        monthsFrom = from.withDayOfMonth(1);
                        headEnd = from;
                    }
                    if (tail && rs.getBoolean(2)) {
                        monthsTo = end.plusMonths(1);
                        tailFrom = monthsTo;
                    }
                }
            }
            return new CellRanges(monthsFrom, monthsTo, headEnd, tailFrom);
        }
    }

    /** A group's row: its key (column 1) and the 16 figures after it, added to the totals as read. */
    private static Row row(ResultSet rs, long[] total, GroupBy groupBy, Map<String, String> unitNames)
            throws SQLException {
        long[] n = new long[16];
        for (int i = 0; i < 16; i++) {
            n[i] = rs.getLong(i + 2);
            total[i] += n[i];
        }
        String k = rs.getString(1);
        return Row.of(k, label(groupBy, k, unitNames), n);
    }

    private static void eventParams(Sql sql, ReportFilter f) {
        sql.append("", f.from(), f.to());
        for (String v : new String[] { f.unit(), f.source(), f.priority(), f.category() }) {
            if (v != null) {
                sql.append("", v);
            }
        }
    }

    static Map<String, String> unitNames(Connection c) throws SQLException {
        Map<String, String> names = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT unit_code, name FROM reporting.units")) {
            while (rs.next()) {
                names.put(rs.getString(1), rs.getString(2));
            }
        }
        return names;
    }

    static String label(GroupBy groupBy, String key, Map<String, String> unitNames) {
        return switch (groupBy) {
            case unit -> unitNames.getOrDefault(key, key);
            case source -> enumLabel(SourceType.class, key);
            case priority -> enumLabel(Priority.class, key);
            case category -> key.isEmpty() ? "（未分类）" : key;
            case month -> key.substring(0, 4) + "年" + key.substring(5) + "月";
        };
    }

    static <E extends Enum<E> & io.duban.common.domain.Labelled> String enumLabel(Class<E> type, String key) {
        try {
            return Enum.valueOf(type, key).label();
        } catch (IllegalArgumentException | NullPointerException e) {
            return key;
        }
    }
}
