package io.duban.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.idempotency.IdempotencyStore;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * 督查通报: a numbered, frozen snapshot of a period's summary by unit, ranking and overdue list, with
 * an editable preface. The number (督查通报〔2026〕12号) counts per year of issue without gaps: the
 * year's counter row is incremented in the transaction that stores the bulletin, so concurrent
 * creators queue on that row and a failed creation gives its number back.
 */
@ApplicationScoped
public class Bulletins {

    /** At most this many overdue rows are frozen into one bulletin (the rest are counted). */
    static final int MAX_OVERDUE_ROWS = 2000;

    /** Page sizes of the list of bulletins, and its cursors' name. */
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final String LIST = "bulletins";

    @Schema(name = "BulletinRequest")
    public record Request(@Schema(description = "2026-Q3, 2026-09 or 2026", required = true) String period,
            @Schema(description = "Default: 督查通报（<period>）", maxLength = 200) String title,
            @Schema(maxLength = 5000) String preface,
            @Schema(description = "YYYY-MM-DD or date-time with offset; default now") String asOf) {
    }

    @Schema(name = "BulletinSummary")
    public record Listed(UUID id, String number, int year, int seq, String title, LocalDate from, LocalDate to,
            Instant asOf, String createdBy, Instant createdAt) {
    }

    @Schema(name = "Bulletin")
    public record Bulletin(UUID id, String number, int year, int seq, String title, String preface, LocalDate from,
            LocalDate to, Instant asOf, String createdBy, Instant createdAt,
            @Schema(type = SchemaType.OBJECT, implementation = Object.class, description = "Frozen at creation: summary (by unit), ranking, overdue (rows, total)") JsonNode snapshot) {
    }

    private final DataSource db;
    private final SummaryReport summary;
    private final Ranking ranking;
    private final ReportRows rows;
    private final ObjectMapper json;
    private final IdempotencyStore idempotency;

    public Bulletins(DataSource db, SummaryReport summary, Ranking ranking, ReportRows rows, ObjectMapper json,
            IdempotencyStore idempotency) {
        this.db = db;
        this.idempotency = idempotency;
        this.summary = summary;
        this.ranking = ranking;
        this.rows = rows;
        this.json = json;
    }

    /**
     * Who asks for a bulletin, and under which {@code Idempotency-Key} ({@code key} null: none) sent to which
     * path: a retry of an issued bulletin gets it again instead of the next number.
     */
    public record Issuer(String username, String key, String target) {
    }

    /** The bulletin issued now, or the first response to the issuer's key when this is a retry. */
    public record Issued(Bulletin bulletin, IdempotencyStore.Outcome replayed) {
    }

    static String number(int year, int seq) {
        return "督查通报〔" + year + "〕" + seq + "号";
    }

    public Issued create(Request r, Instant asOf, Instant now, ZoneId zone, Issuer by) {
        if (r == null || r.period() == null) {
            throw ProblemException.invalid("period", "field.required");
        }
        LocalDate[] p = Ranking.period(r.period());
        String title = r.title() == null || r.title().isBlank() ? "督查通报（" + r.period() + "）" : r.title().strip();
        if (title.length() > 200) {
            throw ProblemException.invalid("title", "field.range", 1, 200);
        }
        if (r.preface() != null && r.preface().length() > 5000) {
            throw ProblemException.invalid("preface", "field.range", 0, 5000);
        }
        ReportFilter f = new ReportFilter(p[0], p[1], asOf, null, null, null, null, null);
        var snapshot = json.createObjectNode();
        SummaryReport.Summary byUnit = summary.summary(f, SummaryReport.GroupBy.unit);
        snapshot.set("summary", json.valueToTree(byUnit));
        snapshot.set("ranking", json.valueToTree(ranking.rank(r.period(), f, byUnit)));
        List<ReportRows.Row> overdue = new ArrayList<>();
        long total = rows.page(f, Figures.Measure.OVERDUE, null, MAX_OVERDUE_ROWS, overdue::add).total();
        var od = json.createObjectNode();
        od.put("total", total);
        od.set("rows", json.valueToTree(overdue));
        snapshot.set("overdue", od);
        int year = now.atZone(zone).getYear();
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                IdempotencyStore.Claim claim = by.key() == null ? null
                        : idempotency.claim(c, by.username(), by.key(), by.target(), r);
                if (claim != null && claim.replay() != null) {
                    c.rollback();
                    return new Issued(null, claim.replay());
                }
                int seq;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO report.bulletin_counter (year, last) VALUES (?, 1)"
                        + " ON CONFLICT (year) DO UPDATE SET last = bulletin_counter.last + 1 RETURNING last")) {
                    s.setInt(1, year);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        seq = rs.getInt(1);
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO report.bulletin (id, year, seq, title, preface,"
                        + " period_from, period_to, as_of, snapshot, created_by, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)")) {
                    s.setObject(1, id);
                    s.setInt(2, year);
                    s.setInt(3, seq);
                    s.setString(4, title);
                    s.setString(5, r.preface());
                    s.setObject(6, p[0]);
                    s.setObject(7, p[1]);
                    s.setTimestamp(8, Timestamp.from(asOf));
                    s.setString(9, json.writeValueAsString(snapshot));
                    s.setString(10, by.username());
                    s.setTimestamp(11, Timestamp.from(now));
                    s.executeUpdate();
                }
                Bulletin issued = get(c, id);
                if (claim != null) {
                    idempotency.remember(c, claim, new IdempotencyStore.Response(201, location(id), null, issued));
                }
                // Bulletins are few, so the keys of 48 hours ago are forgotten here rather than on a schedule.
                idempotency.prune(c, now);
                c.commit();
                return new Issued(issued, null);
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a bulletin is: relative to the API root. */
    static String location(UUID id) {
        return "/api/v1/bulletins/" + id;
    }

    /**
     * The bulletins issued, newest first (year, then number, descending: unique), optionally of one year,
     * a page after the cursor's bulletin.
     */
    public Page<Listed> list(Integer year, Integer limit, String cursor) {
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        Sql sql = new Sql().append("SELECT id, year, seq, title, period_from, period_to, as_of, created_by, created_at"
                + " FROM report.bulletin WHERE true");
        if (year != null) {
            sql.append(" AND year = ?", year);
        }
        if (cursor != null && !cursor.isBlank()) {
            String[] after = Cursors.decode(cursor, LIST, 2);
            sql.append(" AND (year, seq) < (?, ?)", CursorFields.integer(after[0]), CursorFields.integer(after[1]));
        }
        sql.append(" ORDER BY year DESC, seq DESC LIMIT ?", n + 1);
        List<Listed> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new Listed(rs.getObject(1, UUID.class), number(rs.getInt(2), rs.getInt(3)), rs.getInt(2),
                        rs.getInt(3), rs.getString(4), rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class),
                        rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getTimestamp(9).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Page.of(out, n, last -> Cursors.encode(LIST, last.year(), last.seq()), l -> l);
    }

    public Bulletin get(UUID id) {
        try (Connection c = db.getConnection()) {
            return get(c, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Bulletin get(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, year, seq, title, preface,"
                + " period_from, period_to, as_of, created_by, created_at, snapshot::text FROM report.bulletin WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("bulletin", id);
                }
                return new Bulletin(rs.getObject(1, UUID.class), number(rs.getInt(2), rs.getInt(3)), rs.getInt(2),
                        rs.getInt(3), rs.getString(4), rs.getString(5), rs.getObject(6, LocalDate.class),
                        rs.getObject(7, LocalDate.class), rs.getTimestamp(8).toInstant(), rs.getString(9),
                        rs.getTimestamp(10).toInstant(), json.readTree(rs.getString(11)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
