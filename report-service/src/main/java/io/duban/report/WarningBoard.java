package io.duban.report;

import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.WarningLevel;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.warning.WarningPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * 红黄绿灯 per unit now, by task-service's own rule ({@link WarningPolicy#forAssignment}) and
 * thresholds (the office's yellow working days and calendar, from the reporting views): every open
 * assignment of an item in handling has one light. SUBMITTED is green (waiting for review); waiting
 * for acceptance or declined, the deadline alone; in progress, the deadline or a late periodic report.
 */
@ApplicationScoped
public class WarningBoard {

    @Schema(name = "WarningBoardUnit")
    public record UnitLights(String unitCode, String unitName, long red, long yellow, long green) {
    }

    @Schema(name = "WarningBoard")
    public record Board(Instant asOf, LocalDate today, int yellowWorkingDays,
            @Schema(description = "The last deadline that is still yellow") LocalDate yellowHorizon,
            List<UnitLights> units, UnitLights totals) {
    }

    @Schema(name = "WarningBoardAssignment")
    public record Lit(UUID itemId, String itemNumber, String title, String unitCode, String role, String status,
            LocalDate deadline, String level, String reason) {
    }

    /** Page sizes of the lit assignments, and their cursors' name. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final String LIST = "warning-board-assignments";

    private final DataSource db;
    private final OfficeCalendar office;

    public WarningBoard(DataSource db, OfficeCalendar office) {
        this.db = db;
        this.office = office;
    }

    private Sql lights(WarningPolicy p, OfficeCalendar.Office o, String unit) {
        Sql sql = new Sql().append("""
                WITH open AS (
                  SELECT a.assignment_id, a.item_id, a.item_number, i.title, a.unit_code, a.role, a.status, a.deadline,
                         i.feedback_cycle, coalesce(a.last_progress_at, a.dispatched_at) AS report_clock
                    FROM reporting.assignments a JOIN reporting.items i ON i.item_id = a.item_id
                   WHERE i.status IN ('ACTIVE', 'PENDING_REVIEW')
                     AND a.status IN ('PENDING_ACCEPTANCE', 'DECLINED', 'IN_PROGRESS', 'SUBMITTED')""");
        if (unit != null) {
            sql.append(" AND a.unit_code = ?", unit);
        }
        sql.append("), lit AS (SELECT o.*, CASE WHEN o.status = 'SUBMITTED' THEN 'GREEN'"
                + " WHEN o.deadline < ? THEN 'RED' WHEN o.deadline <= ? THEN 'YELLOW'"
                + " WHEN o.status = '" + WarningPolicy.REPORTING.name() + "' AND (false", p.today(), p.yellowHorizon());
        for (FeedbackCycle cycle : FeedbackCycle.values()) {
            LocalDate cutoff = p.feedbackCutoff(cycle);
            if (cutoff != null) {
                sql.append(" OR (o.feedback_cycle = ? AND o.report_clock < ?)", cycle.name(),
                        cutoff.atStartOfDay(o.zone()).toInstant());
            }
        }
        return sql.append(") THEN 'YELLOW' ELSE 'GREEN' END AS level FROM open o) ");
    }

    public Board board(Instant now, String unit) {
        try (Connection c = db.getConnection()) {
            OfficeCalendar.Office o = office.read(c);
            LocalDate today = now.atZone(o.zone()).toLocalDate();
            WarningPolicy p = o.policy(today);
            // From task-service's cells (reporting.board_cells, kept by its writes), the same rule as lights().
            Sql sql = new Sql().append("SELECT unit_code, coalesce(sum(n) FILTER (WHERE level = 'RED'), 0),"
                    + " coalesce(sum(n) FILTER (WHERE level = 'YELLOW'), 0), coalesce(sum(n) FILTER (WHERE level = 'GREEN'), 0)"
                    + " FROM (SELECT c.unit_code, c.n, CASE WHEN c.status = 'SUBMITTED' THEN 'GREEN'"
                    + " WHEN c.deadline < ? THEN 'RED' WHEN c.deadline <= ? THEN 'YELLOW'"
                    + " WHEN c.status = '" + WarningPolicy.REPORTING.name() + "' AND (false", p.today(), p.yellowHorizon());
            for (FeedbackCycle cycle : FeedbackCycle.values()) {
                LocalDate cutoff = p.feedbackCutoff(cycle);
                if (cutoff != null) {
                    sql.append(" OR (c.feedback_cycle = ? AND c.report_on < ?)", cycle.name(), cutoff);
                }
            }
            sql.append(") THEN 'YELLOW' ELSE 'GREEN' END AS level FROM reporting.board_cells c WHERE c.n <> 0");
            if (unit != null) {
                sql.append(" AND c.unit_code = ?", unit);
            }
            sql.append(") l GROUP BY unit_code HAVING sum(n) > 0 ORDER BY unit_code");
            Map<String, String> names = SummaryReport.unitNames(c);
            List<UnitLights> units = new ArrayList<>();
            long r = 0;
            long y = 0;
            long g = 0;
            try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String code = rs.getString(1);
                    units.add(new UnitLights(code, names.getOrDefault(code, code), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    r += rs.getLong(2);
                    y += rs.getLong(3);
                    g += rs.getLong(4);
                }
            }
            return new Board(now, today, o.yellowWorkingDays(), p.yellowHorizon(), units,
                    new UnitLights(null, "合计", r, y, g));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The assignments behind one light of the board, with task-service's reason for each, by deadline, item
     * number, unit and assignment (unique), a page after the cursor's assignment. The lights depend on the
     * day, so a cursor carries the time its first page was read at, and every later page is lit as then.
     */
    public Page<Lit> assignments(Instant now, String unit, WarningLevel level, Integer limit, String cursor) {
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        try (Connection c = db.getConnection()) {
            OfficeCalendar.Office o = office.read(c);
            String[] after = cursor == null || cursor.isBlank() ? null : Cursors.decode(cursor, LIST, 5);
            Instant at = after == null ? now : CursorFields.instant(after[0], o.zone());
            WarningPolicy p = o.policy(at.atZone(o.zone()).toLocalDate());
            Sql sql = lights(p, o, unit).append("SELECT assignment_id, item_id, item_number, title, unit_code, role,"
                    + " status, deadline, level, feedback_cycle, report_clock FROM lit WHERE true");
            if (level != null) {
                sql.append(" AND level = ?", level.name());
            }
            if (after != null) {
                sql.append(" AND (deadline, item_number, unit_code, assignment_id) > (?, ?, ?, ?)", CursorFields.date(after[1]),
                        CursorFields.text(after[2]), CursorFields.text(after[3]), CursorFields.uuid(after[4]));
            }
            sql.append(" ORDER BY deadline, item_number, unit_code, assignment_id LIMIT ?", n + 1);
            List<Lit> out = new ArrayList<>();
            UUID lastId = null;
            String next = null;
            try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (out.size() == n) { // one row more than the page: another page follows
                        Lit last = out.get(n - 1);
                        next = Cursors.encode(LIST, at, last.deadline(), last.itemNumber(), last.unitCode(), lastId);
                        break;
                    }
                    LocalDate deadline = rs.getObject("deadline", LocalDate.class);
                    Instant clock = rs.getTimestamp("report_clock").toInstant();
                    var w = p.forAssignment(io.duban.common.domain.AssignmentStatus.valueOf(rs.getString("status")),
                            deadline, FeedbackCycle.valueOf(rs.getString("feedback_cycle")),
                            clock.atZone(o.zone()).toLocalDate());
                    out.add(new Lit(rs.getObject("item_id", UUID.class), rs.getString("item_number"), rs.getString("title"),
                            rs.getString("unit_code"), rs.getString("role"), rs.getString("status"), deadline,
                            rs.getString("level"), w.reason()));
                    lastId = rs.getObject("assignment_id", UUID.class);
                }
            }
            return new Page<>(out, next, n);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
