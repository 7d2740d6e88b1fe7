package io.duban.report;

import io.duban.common.warning.WarningPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The assignments behind a figure, one row each, with what a list shows: the overdue list is
 * {@link Figures.Measure#OVERDUE}. Rows are read with a cursor and handed on one by one, so that an
 * export streams whatever its length.
 */
@ApplicationScoped
public class ReportRows {

    @Schema(name = "ReportRow", description = "One unit's assignment on one item, as the period and as-of time saw it")
    public record Row(UUID itemId, String itemNumber, String title, String unitCode, String unitName,
            @Schema(description = "LEAD (主办) or ASSIST (协办)") String role,
            @Schema(description = "The assignment's status now (the figures use the as-of time)") String status,
            String responsibleLeader, String sourceType, String priority, String category, LocalDate dispatchedOn,
            @Schema(description = "The unit's effective deadline at the as-of time") LocalDate deadline,
            @Schema(description = "Working days after the deadline up to the as-of date; 0 or less when not overdue")
            Integer workingDaysOverdue,
            @Schema(description = "The unit's last progress report up to the as-of time") OffsetDateTime lastProgressAt,
            Integer lastProgressPercent,
            @Schema(description = "Urges (催办) of this unit on this assignment up to the as-of time") int urges,
            @Schema(description = "Why it is flagged (the warning rule's text for its deadline)") String warningReason) {
    }

    private final DataSource db;
    private final OfficeCalendar office;

    public ReportRows(DataSource db, OfficeCalendar office) {
        this.db = db;
        this.office = office;
    }

    /**
     * A page of a measure's rows (as {@link #rows}) and the number of all its rows, on one connection
     * and with one decision whether the overdue lists may read the open assignments.
     */
    public long page(ReportFilter f, Figures.Measure m, long offset, int limit, Consumer<Row> sink) {
        try (Connection c = db.getConnection()) {
            boolean standing = standing(c, f, m);
            rows(c, f, m, standing, offset, limit, sink);
            Sql sql = new Sql();
            Figures.held(sql, f, m, standing);
            sql.append("SELECT count(*) FROM held h WHERE " + m.predicate);
            try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a measure, in list order, from offset (limit null: all). */
    public void rows(ReportFilter f, Figures.Measure m, long offset, Integer limit, Consumer<Row> sink) {
        try (Connection c = db.getConnection()) {
            rows(c, f, m, standing(c, f, m), offset, limit, sink);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link Figures#standsAt}, asked only for the measures that can use it (a read of the period's monthly cells). */
    private static boolean standing(Connection c, ReportFilter f, Figures.Measure m) throws SQLException {
        return Figures.readsOpenAssignments(m) && Figures.standsAt(c, f);
    }

    /** The rows, from the open assignments ({@code standing}, see {@link Figures#held}) or from the views. */
    void rows(Connection c, ReportFilter f, Figures.Measure m, boolean standing, long offset, Integer limit,
            Consumer<Row> sink) throws SQLException {
        Sql sql = new Sql();
        Figures.held(sql, f, m, standing);
        // The last progress report and the urges up to the as-of time: looked up per row from the views,
        // or, from the open assignments, as kept unless the kept one is later than the as-of time.
        String urges = "(SELECT count(*) FROM reporting.urges g WHERE g.item_id = h.item_id AND g.unit_code = h.unit_code"
                + " AND g.assignment_id = h.assignment_id AND g.urged_at <= h.as_of)";
        String later = standing ? "h.last_progress_at > h.as_of" : null;
        sql.append("SELECT h.item_id, h.number, h.title, h.unit_code, u.name AS unit_name, h.role, h.status,"
                + " h.responsible_leader, h.source_type, h.priority, h.category, h.dispatched_on, h.deadline,"
                + " " + Figures.workingDaysBetween("h.deadline", "h.as_of_day") + " AS working_days_overdue,"
                + (standing
                        ? " CASE WHEN " + later + " THEN p.reported_at ELSE h.last_progress_at END AS reported_at,"
                                + " CASE WHEN " + later + " THEN p.percent ELSE h.last_progress_percent END AS percent,"
                                + " CASE WHEN h.last_urged_at > h.as_of THEN " + urges + " ELSE h.urges END AS urges,"
                        : " p.reported_at, p.percent, " + urges + " AS urges,")
                + " h.as_of_day"
                + " FROM held h"
                + " LEFT JOIN reporting.units u ON u.unit_code = h.unit_code"
                + " LEFT JOIN LATERAL (SELECT r.reported_at, r.percent FROM reporting.progress_reports r"
                + "     WHERE " + (standing ? later + " AND " : "")
                + "r.assignment_id = h.assignment_id AND r.reported_at <= h.as_of"
                + "     ORDER BY r.reported_at DESC LIMIT 1) p ON true"
                + " WHERE " + m.predicate
                + " ORDER BY h.deadline, h.number, h.unit_code, h.assignment_id");
        if (offset > 0) {
            sql.append(" OFFSET ?", offset);
        }
        if (limit != null) {
            sql.append(" LIMIT ?", limit);
        }
        OfficeCalendar.Office o = office.read(c);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement s = sql.prepare(c)) {
            s.setFetchSize(500);
            WarningPolicy policy = null;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (policy == null) {
                        policy = o.policy(rs.getObject("as_of_day", LocalDate.class));
                    }
                    LocalDate deadline = rs.getObject("deadline", LocalDate.class);
                    sink.accept(new Row(rs.getObject("item_id", UUID.class), rs.getString("number"),
                            rs.getString("title"), rs.getString("unit_code"), rs.getString("unit_name"),
                            rs.getString("role"), rs.getString("status"), rs.getString("responsible_leader"),
                            rs.getString("source_type"), rs.getString("priority"), rs.getString("category"),
                            rs.getObject("dispatched_on", LocalDate.class), deadline,
                            (Integer) rs.getObject("working_days_overdue"),
                            rs.getObject("reported_at", OffsetDateTime.class), (Integer) rs.getObject("percent"),
                            rs.getInt("urges"), policy.forDeadline(deadline).reason()));
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(auto);
        }
    }
}
