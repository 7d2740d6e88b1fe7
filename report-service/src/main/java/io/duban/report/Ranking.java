package io.duban.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.duban.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * 考核排名: SPEC.md's default rule, with the weights admins keep in report.ranking_rule. Each unit's
 * score comes with its terms (count × weight), from the same figures as the summary by unit.
 */
@ApplicationScoped
public class Ranking {

    @Schema(name = "RankingRule", description = "score = base + onTime × on-time completions + late × late completions "
            + "+ overdue × items overdue at asOf + urge × urges + per completed item its rating's bonus")
    public record Rule(int base, int onTime, int late, int overdue, int urge, int ratingExcellent, int ratingGood,
            int ratingFair, int ratingPoor, @Schema(readOnly = true) Long version, @Schema(readOnly = true) String updatedBy,
            @Schema(readOnly = true) Instant updatedAt) {
    }

    @Schema(name = "RankingTerm")
    public record Term(String name, String label, long count, int weight, long points) {
    }

    @Schema(name = "RankingEntry")
    public record Entry(int rank, String unitCode, String unitName, long score,
            @Schema(description = "Tie-break: on-time rate (null last), then unit code") Double onTimeRate, List<Term> terms) {
    }

    @Schema(name = "Ranking")
    public record Result(String period, LocalDate from, LocalDate to, Instant asOf, Rule rule, List<Entry> units) {
    }

    static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
    static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    static final Pattern YEAR = Pattern.compile("\\d{4}");

    private final DataSource db;
    private final SummaryReport summary;

    public Ranking(DataSource db, SummaryReport summary) {
        this.db = db;
        this.summary = summary;
    }

    /** A period name as its first and last day: 2026-Q3, 2026-09 or 2026. */
    static LocalDate[] period(String period) {
        try {
            Matcher m;
            if (period != null && (m = QUARTER.matcher(period)).matches()) {
                LocalDate from = LocalDate.of(Integer.parseInt(m.group(1)), 3 * Integer.parseInt(m.group(2)) - 2, 1);
                return check(from, from.plusMonths(3).minusDays(1));
            }
            if (period != null && (m = MONTH.matcher(period)).matches()) {
                YearMonth ym = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                return check(ym.atDay(1), ym.atEndOfMonth());
            }
            if (period != null && YEAR.matcher(period).matches()) {
                int y = Integer.parseInt(period);
                return check(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31));
            }
        } catch (java.time.DateTimeException e) {
            // falls through to the refusal
        }
        throw ProblemException.invalid("period", "field.period");
    }

    private static LocalDate[] check(LocalDate from, LocalDate to) {
        if (!io.duban.common.time.OfficeDates.contains(from) || !io.duban.common.time.OfficeDates.contains(to)) {
            throw ProblemException.invalid("period", "field.period");
        }
        return new LocalDate[] { from, to };
    }

    public Rule rule() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT base, on_time, late, overdue, urge, rating_excellent, rating_good, rating_fair, rating_poor,"
                        + " version, updated_by, updated_at FROM report.ranking_rule");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return new Rule(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
                    rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getLong(10), rs.getString(11),
                    rs.getTimestamp(12).toInstant());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the weights if the version is still the one the caller read (else 412). */
    public Rule replace(Rule r, long expectedVersion, String by, Instant now) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE report.ranking_rule SET base = ?, on_time = ?, late = ?, overdue = ?, urge = ?, rating_excellent = ?,"
                        + " rating_good = ?, rating_fair = ?, rating_poor = ?, version = version + 1, updated_by = ?,"
                        + " updated_at = ? WHERE version = ?")) {
            int i = 1;
            for (int v : new int[] { r.base(), r.onTime(), r.late(), r.overdue(), r.urge(), r.ratingExcellent(),
                    r.ratingGood(), r.ratingFair(), r.ratingPoor() }) {
                s.setInt(i++, v);
            }
            s.setString(i++, by);
            s.setTimestamp(i++, Timestamp.from(now));
            s.setLong(i, expectedVersion);
            if (s.executeUpdate() == 0) {
                throw new ProblemException(412, "precondition-failed", rule().version());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rule();
    }

    /**
     * Every unit's entry, or only {@code unit}'s (a handler's own): that entry keeps the rank it holds among
     * all units, since a rank among one is no rank.
     */
    public Result rank(String period, Instant asOf, String unit) {
        LocalDate[] p = period(period);
        ReportFilter f = new ReportFilter(p[0], p[1], asOf, null, null, null, null, null);
        Result all = rank(period, f, summary.summary(f, SummaryReport.GroupBy.unit));
        if (unit == null) {
            return all;
        }
        return new Result(all.period(), all.from(), all.to(), all.asOf(), all.rule(),
                all.units().stream().filter(e -> e.unitCode().equals(unit)).toList());
    }

    /** The ranking from a summary by unit already computed for the filter. */
    public Result rank(String period, ReportFilter f, SummaryReport.Summary s) {
        LocalDate[] p = { f.from(), f.to() };
        Instant asOf = f.asOf();
        Map<String, Map<String, Long>> ratings = ratings(f);
        Rule rule = rule();
        List<Entry> entries = new ArrayList<>();
        for (SummaryReport.Row row : s.rows()) {
            Map<String, Long> r = ratings.getOrDefault(row.key(), Map.of());
            List<Term> terms = List.of(
                    new Term("base", "基础分", 1, rule.base(), rule.base()),
                    term("onTime", "按期办结", row.completedOnTime(), rule.onTime()),
                    term("late", "超期办结", row.completedLate(), rule.late()),
                    term("overdue", "超期未办结", row.overdue(), rule.overdue()),
                    term("urge", "被催办", row.urges(), rule.urge()),
                    term("ratingExcellent", "评价优秀", r.getOrDefault("EXCELLENT", 0L), rule.ratingExcellent()),
                    term("ratingGood", "评价良好", r.getOrDefault("GOOD", 0L), rule.ratingGood()),
                    term("ratingFair", "评价一般", r.getOrDefault("FAIR", 0L), rule.ratingFair()),
                    term("ratingPoor", "评价差", r.getOrDefault("POOR", 0L), rule.ratingPoor()));
            long score = terms.stream().mapToLong(Term::points).sum();
            entries.add(new Entry(0, row.key(), row.label(), score, row.onTimeRate(), terms));
        }
        entries.sort(Comparator.comparingLong(Entry::score).reversed()
                .thenComparing(Entry::onTimeRate, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Entry::unitCode));
        List<Entry> ranked = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            ranked.add(new Entry(i + 1, e.unitCode(), e.unitName(), e.score(), e.onTimeRate(), e.terms()));
        }
        return new Result(period, p[0], p[1], asOf, rule, ranked);
    }

    private static Term term(String name, String label, long count, int weight) {
        return new Term(name, label, count, weight, count * weight);
    }

    /** Completed lead items by unit and rating (the rating bonus is per completed item). */
    private Map<String, Map<String, Long>> ratings(ReportFilter f) {
        Sql sql = new Sql();
        Figures.held(sql, f);
        sql.append("SELECT h.unit_code, h.rating, count(*) FROM held h WHERE " + Figures.Measure.COMPLETED.predicate
                + " AND h.rating IS NOT NULL GROUP BY 1, 2");
        Map<String, Map<String, Long>> out = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The ranking as a table: the export of GET /api/v1/reports/ranking and a bulletin's sheet 考核排名. */
    static final List<Table.Column> COLUMNS = List.of(new Table.Column("名次", Table.Type.INT, 6),
            new Table.Column("单位代码", Table.Type.TEXT, 10), new Table.Column("单位", Table.Type.TEXT, 20),
            new Table.Column("得分", Table.Type.INT, 8), new Table.Column("按期办结率", Table.Type.PERCENT, 10),
            new Table.Column("计分明细", Table.Type.TEXT, 80));

    /** One entry's cells, from its JSON form (a bulletin keeps its ranking frozen as JSON). */
    static Object[] cells(JsonNode e) {
        return new Object[] { e.path("rank").asInt(), e.path("unitCode").asText(), e.path("unitName").asText(),
                e.path("score").asLong(), e.path("onTimeRate").isNull() ? null : e.path("onTimeRate").asDouble(), terms(e) };
    }

    static String terms(JsonNode entry) {
        StringBuilder b = new StringBuilder();
        for (JsonNode t : entry.path("terms")) {
            if (t.path("points").asLong() != 0 || "base".equals(t.path("name").asText())) {
                if (b.length() > 0) {
                    b.append("；");
                }
                b.append(t.path("label").asText());
                if (!"base".equals(t.path("name").asText())) {
                    b.append(' ').append(t.path("count").asLong()).append(" × ").append(t.path("weight").asInt());
                }
                b.append(" = ").append(t.path("points").asLong());
            }
        }
        return b.toString();
    }
}
