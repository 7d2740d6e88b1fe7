package io.duban.report;

import io.duban.common.paging.Cursors;
import io.duban.common.warning.WarningPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The assignments behind a figure, one row each, with what a list shows: the overdue list is
 * {@link Figures.Measure#OVERDUE}. Rows are read through COPY ({@link CopyRows}) and handed on one
 * by one, so that an export streams whatever its length.
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
     * A row's place in list order: deadline, item number, unit, assignment (none of them null in
     * {@code held}, and together unique), where a page ends and the next begins.
     */
    public record Key(LocalDate deadline, String number, String unitCode, UUID assignmentId) {
    }

    /**
     * Where the next page of a list starts: the as-of time of the list's first page, which every later
     * page is read at (pages read at different times would skip or repeat rows), the number of the read's
     * rows the first page counted (later pages answer it without counting again: a later page of the overdue
     * list at 1,000,000 items took 35-38 ms instead of 40-41, bench/results.md), and the last row sent.
     */
    public record Resume(Instant asOf, long total, Key after) {

        /** The opaque cursor of list {@code list} that carries this. */
        public String cursor(String list) {
            return Cursors.encode(list, asOf, total, after.deadline(), after.number(), after.unitCode(), after.assignmentId());
        }

        /** A cursor of list {@code list} read back, or 400 bad-cursor. */
        public static Resume of(String cursor, String list, ZoneId zone) {
            String[] c = Cursors.decode(cursor, list, 6);
            return new Resume(CursorFields.instant(c[0], zone), CursorFields.count(c[1]), new Key(CursorFields.date(c[2]),
                    CursorFields.text(c[3]), CursorFields.text(c[4]), CursorFields.uuid(c[5])));
        }
    }

    /** A page read: the number of all the list's rows, and the place of the page's last row when more follow. */
    public record Read(long total, Key next) {
    }

    /**
     * A page of a measure's rows after {@code resumed}'s last row (null: the first page), at most {@code limit}, and the
     * number of all its rows (counted unless {@code resumed} carries the first page's count), on one
     * connection and with one decision whether the overdue lists may read the open assignments.
     */
    public Read page(ReportFilter f, Figures.Measure m, Resume resumed, int limit, Consumer<Row> sink) {
        Key after = resumed == null ? null : resumed.after();
        try (Connection c = db.getConnection()) {
            boolean standing = standing(c, f, m);
            // One row more than the page: whether another page follows.
            List<Key> keys = new ArrayList<>(limit + 1);
            rows(c, f, m, standing, after, limit + 1, (row, key) -> {
                if (keys.size() < limit) {
                    sink.accept(row);
                }
                keys.add(key);
            });
            Key next = keys.size() > limit ? keys.get(limit - 1) : null;
            if (resumed != null) {
                return new Read(resumed.total(), next);
            }
            Sql sql = new Sql();
            Figures.held(sql, f, m, standing);
            sql.append("SELECT count(*) FROM held h WHERE " + m.predicate);
            try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Read(rs.getLong(1), next);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All the rows of a measure, in list order. */
    public void rows(ReportFilter f, Figures.Measure m, Consumer<Row> sink) {
        try (Connection c = db.getConnection()) {
            rows(c, f, m, standing(c, f, m), null, null, (row, unkeyed) -> sink.accept(row));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link Figures#standsAt}, asked only for the measures that can use it (a read of the period's monthly cells). */
    private static boolean standing(Connection c, ReportFilter f, Figures.Measure m) throws SQLException {
        return Figures.readsOpenAssignments(m) && Figures.standsAt(c, f);
    }

    /**
     * The rows after {@code after} (null: from the first), at most {@code limit} (null: all), from the open
     * assignments ({@code standing}, see {@link Figures#held}) or from the views. A page ({@code limit}
     * given) hands each row on with its place in list order; all rows (the exports) come without it, so
     * that their statement reads no column the export does not write.
     */
    void rows(Connection c, ReportFilter f, Figures.Measure m, boolean standing, Key after, Integer limit,
            BiConsumer<Row, Key> sink) throws SQLException {
        Sql sql = new Sql();
        Figures.held(sql, f, m, standing);
        // The last progress report and the urges up to the as-of time: looked up per row from the views,
        // or, from the open assignments, as kept unless the kept one is later than the as-of time.
        String urges = "(SELECT count(*) FROM reporting.urges g WHERE g.item_id = h.item_id AND g.unit_code = h.unit_code"
                + " AND g.assignment_id = h.assignment_id AND g.urged_at <= h.as_of)";
        String later = standing ? "h.last_progress_at > h.as_of" : null;
        // Timestamps as microseconds since the epoch: the text COPY writes for them depends on the session's zone.
        String reported = standing ? "CASE WHEN " + later + " THEN p.reported_at ELSE h.last_progress_at END" : "p.reported_at";
        sql.append("SELECT h.item_id, h.number, h.title, h.unit_code, u.name AS unit_name, h.role, h.status,"
                + " h.responsible_leader, h.source_type, h.priority, h.category, h.dispatched_on, h.deadline,"
                + " " + Figures.workingDaysBetween("h.deadline", "h.as_of_day") + " AS working_days_overdue,"
                + " (extract(epoch FROM " + reported + ") * 1000000)::int8 AS reported_us,"
                + (standing
                        ? " CASE WHEN " + later + " THEN p.percent ELSE h.last_progress_percent END AS percent,"
                                + " CASE WHEN h.last_urged_at > h.as_of THEN " + urges + " ELSE h.urges END AS urges"
                        : " p.percent, " + urges + " AS urges")
                + (limit != null ? ", h.assignment_id" : "")
                + " FROM held h"
                + " LEFT JOIN reporting.units u ON u.unit_code = h.unit_code"
                + " LEFT JOIN LATERAL (SELECT r.reported_at, r.percent FROM reporting.progress_reports r"
                + "     WHERE " + (standing ? later + " AND " : "")
                + "r.assignment_id = h.assignment_id AND r.reported_at <= h.as_of"
                + "     ORDER BY r.reported_at DESC LIMIT 1) p ON true"
                + " WHERE " + m.predicate);
        if (after != null) {
            // Keyset on the list order; no column of it is null, so the row comparison orders as ORDER BY does.
            sql.append(" AND (h.deadline, h.number, h.unit_code, h.assignment_id) > (?, ?, ?, CAST(? AS uuid))",
                    after.deadline(), after.number(), after.unitCode(), after.assignmentId().toString());
        }
        sql.append(" ORDER BY h.deadline, h.number, h.unit_code, h.assignment_id");
        if (limit != null) {
            sql.append(" LIMIT ?", limit);
        }
        OfficeCalendar.Office o = office.read(c);
        // The as-of day in the office's zone, as held's as_of_day: the day the warning reasons speak of.
        WarningPolicy policy = o.policy(LocalDate.ofInstant(f.asOf(), o.zone()));
        CopyRows.stream(c, sql.inline(c), limit != null ? 18 : 17, x -> {
            LocalDate deadline = date(x[12]);
            sink.accept(new Row(UUID.fromString(x[0]), x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10],
                    date(x[11]), deadline, integer(x[13]), instant(x[14]), integer(x[15]), Integer.parseInt(x[16]),
                    policy.forDeadline(deadline).reason()),
                    limit != null ? new Key(deadline, x[1], x[3], UUID.fromString(x[17])) : null);
        });
    }

    /** A date as PostgreSQL writes it (DateStyle ISO, which pgjdbc keeps), as pgjdbc reads it: infinity at the ends. */
    static LocalDate date(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') { // yyyy-mm-dd, the common case
            return LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
        }
        return text.equals("infinity") ? LocalDate.MAX : text.equals("-infinity") ? LocalDate.MIN : LocalDate.parse(text);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new java.time.format.DateTimeParseException("not a date", s, i);
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static Integer integer(String text) {
        return text == null ? null : Integer.valueOf(text);
    }

    /** Microseconds since the epoch, as an offset date-time in UTC (as pgjdbc reads a timestamptz). */
    private static OffsetDateTime instant(String micros) {
        if (micros == null) {
            return null;
        }
        long us = Long.parseLong(micros);
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L),
                ZoneOffset.UTC);
    }
}
