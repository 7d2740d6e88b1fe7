package io.duban.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.Labelled;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import io.duban.common.domain.WarningLevel;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.time.OfficeDates;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The reports: overdue list, summary, the list behind each figure of the summary, the warning board.
 * Supervisors, leaders and services see every unit; a handler sees only their own unit's rows
 * (other units' rows are absent, not zeroed), and naming another unit answers 404.
 */
@Path("/api/v1/reports")
@Tag(name = "Reports", description = "统计汇总、超期清单与红黄绿灯")
@SecurityRequirement(name = "jwt")
public class ReportsResource {

    /** Page sizes of the JSON row lists (overdue, rows). */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** The overdue list's cursors' name; the rows' lists are named by measure ({@link #rowsList}). */
    static final String OVERDUE_LIST = "overdue";
    static final int MAX_RANGE_YEARS = 5;

    static final List<Table.Column> ROW_COLUMNS = List.of(
            new Table.Column("事项编号", Table.Type.TEXT, 16), new Table.Column("事项标题", Table.Type.TEXT, 40),
            new Table.Column("承办单位", Table.Type.TEXT, 20), new Table.Column("单位代码", Table.Type.TEXT, 10),
            new Table.Column("主办/协办", Table.Type.TEXT, 8), new Table.Column("办理状态", Table.Type.TEXT, 10),
            new Table.Column("责任领导", Table.Type.TEXT, 12), new Table.Column("来源", Table.Type.TEXT, 12),
            new Table.Column("紧急程度", Table.Type.TEXT, 8), new Table.Column("类别", Table.Type.TEXT, 12),
            new Table.Column("交办日期", Table.Type.DATE, 12), new Table.Column("办理期限", Table.Type.DATE, 12),
            new Table.Column("超期工作日", Table.Type.INT, 10), new Table.Column("最近反馈时间", Table.Type.DATETIME, 18),
            new Table.Column("最近反馈进度(%)", Table.Type.INT, 14), new Table.Column("催办次数", Table.Type.INT, 8),
            new Table.Column("预警说明", Table.Type.TEXT, 40));

    static final List<Table.Column> SUMMARY_COLUMNS = List.of(
            new Table.Column("分组", Table.Type.TEXT, 12), new Table.Column("名称", Table.Type.TEXT, 20),
            new Table.Column("收件数", Table.Type.INT, 8), new Table.Column("办结数", Table.Type.INT, 8),
            new Table.Column("按期办结", Table.Type.INT, 8), new Table.Column("超期办结", Table.Type.INT, 8),
            new Table.Column("在办", Table.Type.INT, 8), new Table.Column("超期未办结", Table.Type.INT, 10),
            new Table.Column("超期工作日合计", Table.Type.INT, 14), new Table.Column("已撤销", Table.Type.INT, 8),
            new Table.Column("办结率", Table.Type.PERCENT, 8), new Table.Column("按期办结率", Table.Type.PERCENT, 10),
            new Table.Column("平均办理工作日", Table.Type.DECIMAL, 14), new Table.Column("申请延期", Table.Type.INT, 8),
            new Table.Column("批准延期", Table.Type.INT, 8), new Table.Column("催办次数", Table.Type.INT, 8),
            new Table.Column("退回", Table.Type.INT, 6), new Table.Column("协办收件", Table.Type.INT, 8),
            new Table.Column("协办办结", Table.Type.INT, 8), new Table.Column("协办超期", Table.Type.INT, 8));

    @Schema(name = "ReportRowPage")
    public record RowPage(@Schema(description = "The as-of time of the read: the first page's, on every page") Instant asOf,
            LocalDate from, LocalDate to, String measure,
            @Schema(description = "All the rows of the read, not of this page") long total,
            @Schema(description = "The cursor of the next page; null on the last page") String nextCursor, int limit,
            List<ReportRows.Row> rows) {
    }

    private final ReportRows rows;
    private final SummaryReport summary;
    private final Ranking ranking;
    private final WarningBoard board;
    private final CurrentCaller caller;
    private final Clock clock;
    private final ZoneId zone;
    private final ObjectMapper json;

    public ReportsResource(ReportRows rows, SummaryReport summary, Ranking ranking, WarningBoard board, CurrentCaller caller,
            Clock clock, io.duban.common.time.OfficeConfig office, ObjectMapper json) {
        this.json = json;
        this.rows = rows;
        this.summary = summary;
        this.ranking = ranking;
        this.board = board;
        this.caller = caller;
        this.clock = clock;
        this.zone = office.zone();
    }

    @GET
    @Path("/overdue")
    @Produces({ MediaType.APPLICATION_JSON, Table.CSV, Table.XLSX })
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "超期清单: every overdue open assignment at the as-of time",
            description = "An assignment its unit holds at asOf, on an item not completed or cancelled by then, whose "
                    + "effective deadline (at asOf) is before the as-of date. Optional period: items dispatched in "
                    + "[from, to]. Accept chooses the format: application/json (paged), text/csv (UTF-8 with BOM, all "
                    + "rows, streamed) or the XLSX media type (all rows, streamed). A handler sees only their own unit; "
                    + "naming another unit is 404. JSON is ordered by deadline, item number, unit and assignment, and "
                    + "paged by an opaque cursor: pass `nextCursor` back as `cursor` with the same filters (null on the "
                    + "last page). The cursor carries the first page's as-of time, so every page of one read is as of "
                    + "it (asOf is then ignored), and its `total`, the first page's count of that read, which later "
                    + "pages answer without counting again. A cursor of another list, or none of ours, is 400 "
                    + "bad-cursor, in every format.")
    @APIResponse(responseCode = "200", description = "The overdue assignments, most overdue first", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RowPage.class)),
            @Content(mediaType = Table.CSV, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = Table.XLSX, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response overdue(@QueryParam("from") @Parameter(description = "First dispatch date of the period (optional)") LocalDate from,
            @QueryParam("to") @Parameter(description = "Last dispatch date of the period (optional)") LocalDate to,
            @QueryParam("asOf") @Parameter(description = "YYYY-MM-DD (end of that day) or a date-time with offset; default now; with a cursor, its first page's") String asOf,
            @QueryParam("unit") String unit,
            @QueryParam("source") @Parameter(schema = @Schema(implementation = SourceType.class)) String source,
            @QueryParam("priority") @Parameter(schema = @Schema(implementation = Priority.class)) String priority,
            @QueryParam("category") String category,
            @QueryParam("role") @Parameter(schema = @Schema(implementation = AssignmentRole.class)) String role,
            @QueryParam("limit") @Parameter(description = "JSON only; 1..1000, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "JSON only (an export holds every row, and refuses a cursor of another list with 400); the nextCursor of the previous page") String cursor,
            @Context HttpHeaders headers) {
        return list(OVERDUE_LIST, Figures.Measure.OVERDUE, from, to, asOf, unit, source, priority, category, role, limit,
                cursor, headers, "超期清单");
    }

    @GET
    @Path("/rows")
    @Produces({ MediaType.APPLICATION_JSON, Table.CSV, Table.XLSX })
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "The assignments behind one figure of the summary",
            description = "measure names the figure (received, completed, on-time, late, open, overdue, cancelled, "
                    + "assist-received, assist-completed, assist-overdue); with the same from, to, asOf and filters, "
                    + "total equals the summary's count. Formats, order and paging as for the overdue list; a cursor "
                    + "belongs to its measure's list.")
    @APIResponse(responseCode = "200", description = "The rows the figure counts", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RowPage.class)),
            @Content(mediaType = Table.CSV, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = Table.XLSX, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response figureRows(@QueryParam("measure") @Parameter(required = true,
                    schema = @Schema(enumeration = { "received", "completed", "on-time", "late", "open", "overdue",
                            "cancelled", "assist-received", "assist-completed", "assist-overdue" })) String measure,
            @QueryParam("from") @Parameter(required = true) LocalDate from,
            @QueryParam("to") @Parameter(required = true) LocalDate to,
            @QueryParam("asOf") @Parameter(description = "YYYY-MM-DD (end of that day) or a date-time with offset; default now; with a cursor, its first page's") String asOf,
            @QueryParam("unit") String unit,
            @QueryParam("source") @Parameter(schema = @Schema(implementation = SourceType.class)) String source,
            @QueryParam("priority") @Parameter(schema = @Schema(implementation = Priority.class)) String priority,
            @QueryParam("category") String category,
            @QueryParam("limit") @Parameter(description = "JSON only; 1..1000, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "JSON only (an export holds every row, and refuses a cursor of another list with 400); the nextCursor of the previous page") String cursor,
            @Context HttpHeaders headers) {
        Figures.Measure m = Arrays.stream(Figures.Measure.values()).filter(x -> x.param().equals(measure)).findFirst()
                .orElseThrow(() -> ProblemException.invalid("measure", "field.enum",
                        String.join(", ", Arrays.stream(Figures.Measure.values()).map(Figures.Measure::param).toList())));
        period(from, to);
        return list(rowsList(m), m, from, to, asOf, unit, source, priority, category, null, limit, cursor, headers, "统计明细");
    }

    @GET
    @Path("/summary")
    @Produces({ MediaType.APPLICATION_JSON, Table.CSV, Table.XLSX })
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "统计汇总: the counting rules of SPEC.md for a period, grouped, with a totals row",
            description = "Received, completed (on time, late), open, overdue, cancelled, completion and on-time rates "
                    + "(null on a zero denominator), average handling time in working days, extensions asked and "
                    + "approved, urges, declines, and assist figures in their own columns, for items dispatched in "
                    + "[from, to] as they stood at asOf. A handler gets only their own unit's figures.")
    @APIResponse(responseCode = "200", description = "The summary", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SummaryReport.Summary.class)),
            @Content(mediaType = Table.CSV, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = Table.XLSX, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response summary(@QueryParam("from") @Parameter(required = true) LocalDate from,
            @QueryParam("to") @Parameter(required = true) LocalDate to,
            @QueryParam("groupBy") @Parameter(description = "default unit",
                    schema = @Schema(implementation = SummaryReport.GroupBy.class)) String groupBy,
            @QueryParam("asOf") @Parameter(description = "YYYY-MM-DD (end of that day) or a date-time with offset; default now") String asOf,
            @QueryParam("unit") String unit,
            @QueryParam("source") @Parameter(schema = @Schema(implementation = SourceType.class)) String source,
            @QueryParam("priority") @Parameter(schema = @Schema(implementation = Priority.class)) String priority,
            @QueryParam("category") String category,
            @Context HttpHeaders headers) {
        period(from, to);
        SummaryReport.GroupBy g = groupBy == null ? SummaryReport.GroupBy.unit : enumValue(SummaryReport.GroupBy.class, "groupBy", groupBy);
        ReportFilter f = filter(from, to, asOf(asOf), unit, source, priority, category, null);
        SummaryReport.Summary s = summary.summary(f, g);
        String type = format(headers);
        if (type.equals(MediaType.APPLICATION_JSON)) {
            return Response.ok(s, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
        }
        StreamingOutput body = out -> {
            try (Table.Writer w = writer(type, out, "统计汇总", SUMMARY_COLUMNS, about("统计汇总", f, GROUPINGS.get(g)))) {
                for (SummaryReport.Row r : s.rows()) {
                    w.row(summaryCells(r));
                }
                w.row(summaryCells(s.totals()));
            }
        };
        return download(body, type, "统计汇总_" + from + "_" + to);
    }

    @GET
    @Path("/warning-board")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "红黄绿灯: each unit's open assignments by light, now",
            description = "task-service's rule and thresholds (duban-common WarningPolicy with the office's yellow "
                    + "working days and calendar from the reporting views). A handler sees only their own unit.")
    public WarningBoard.Board warningBoard(@QueryParam("unit") String unit) {
        return board.board(clock.instant(), scopedUnit(unit));
    }

    @GET
    @Path("/warning-board/assignments")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "The assignments behind the warning board's lights",
            description = "With the same unit, as many rows of a level as the board counts, each with task-service's "
                    + "reason; ordered by deadline, item number, unit and assignment. Paged by an opaque cursor: pass "
                    + "`nextCursor` back as `cursor` with the same filters (null on the last page). The lights are "
                    + "those of the time the first page was read, on every page of the read. A cursor of another "
                    + "list, or none of ours, is 400 bad-cursor.")
    public Page<WarningBoard.Lit> warningAssignments(@QueryParam("unit") String unit,
            @QueryParam("level") @Parameter(schema = @Schema(implementation = WarningLevel.class)) String level,
            @QueryParam("limit") @Parameter(description = "1..1000, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        WarningLevel l = level == null ? null : enumValue(WarningLevel.class, "level", level);
        return board.assignments(clock.instant(), scopedUnit(unit), l, limit, cursor);
    }

    @GET
    @Path("/ranking")
    @Produces({ MediaType.APPLICATION_JSON, Table.CSV, Table.XLSX })
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "考核排名: each unit's score for a quarter, month or year, with its terms",
            description = "The rule of GET /api/v1/ranking-rules over the summary by unit of the items dispatched in the "
                    + "period as they stood at asOf; units with any figure in the period, best first; ties by on-time "
                    + "rate (nulls last), then unit code. A handler gets only their own unit's entry, with the rank it holds among all units. "
                    + "Accept chooses the format: application/json, text/csv or the XLSX media type (sheet 考核排名, then 说明 "
                    + "with the period, the as-of time and the rule's weights).")
    @APIResponse(responseCode = "200", description = "The ranking", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ranking.Result.class)),
            @Content(mediaType = Table.CSV, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = Table.XLSX, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response ranking(@QueryParam("period") @Parameter(required = true, description = "2026-Q3, 2026-09 or 2026") String period,
            @QueryParam("asOf") @Parameter(description = "YYYY-MM-DD (end of that day) or a date-time with offset; default now") String asOf,
            @Context HttpHeaders headers) {
        String unit = scopedUnit(null);
        Ranking.Result r = ranking.rank(period, asOf(asOf), unit);
        String type = format(headers);
        if (type.equals(MediaType.APPLICATION_JSON)) {
            return Response.ok(r, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
        }
        JsonNode units = json.valueToTree(r.units());
        Ranking.Rule w = r.rule();
        String rule = "基础分 " + w.base() + "；按期办结 " + w.onTime() + "；超期办结 " + w.late() + "；超期未办结 " + w.overdue()
                + "；被催办 " + w.urge() + "；评价 优秀 " + w.ratingExcellent() + "、良好 " + w.ratingGood() + "、一般 "
                + w.ratingFair() + "、差 " + w.ratingPoor() + "（规则版本 " + w.version() + "）";
        ReportFilter f = new ReportFilter(r.from(), r.to(), r.asOf(), unit, null, null, null, null);
        StreamingOutput body = out -> {
            try (Table.Writer t = writer(type, out, "考核排名", Ranking.COLUMNS, about("考核排名（" + period + "）", f, rule))) {
                for (JsonNode e : units) {
                    t.row(Ranking.cells(e));
                }
            }
        };
        return download(body, type, "考核排名_" + period + "_" + LocalDate.ofInstant(r.asOf(), zone));
    }

    /** The cursors' name of the list behind a figure: a cursor of one measure's list is not another's. */
    static String rowsList(Figures.Measure m) {
        return "rows:" + m.param();
    }

    private Response list(String list, Figures.Measure m, LocalDate from, LocalDate to, String asOf, String unit,
            String source, String priority, String category, String role, Integer limit, String cursor,
            HttpHeaders headers, String title) {
        if (from != null && to != null) {
            period(from, to);
        }
        OfficeDates.require("from", from);
        OfficeDates.require("to", to);
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String type = format(headers);
        // Read even where it is not used (an export holds every row, as it ignores the limit): a cursor that
        // is none of this list's is refused, whatever the format.
        ReportRows.Resume resume = cursor == null || cursor.isBlank() ? null : ReportRows.Resume.of(cursor, list, zone);
        if (type.equals(MediaType.APPLICATION_JSON)) {
            // A later page is read as of its first page's time: recomputing "now" per page would skip or repeat rows.
            ReportFilter f = filter(from, to, resume == null ? asOf(asOf) : resume.asOf(), unit, source, priority, category,
                    role);
            List<ReportRows.Row> page = new ArrayList<>();
            ReportRows.Read read = rows.page(f, m, resume, n, page::add);
            String next = read.next() == null ? null : new ReportRows.Resume(f.asOf(), read.total(), read.next()).cursor(list);
            return Response.ok(new RowPage(f.asOf(), from, to, m.param(), read.total(), next, n, page),
                    MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
        }
        ReportFilter f = filter(from, to, asOf(asOf), unit, source, priority, category, role);
        StreamingOutput body = out -> {
            try (Table.Writer w = writer(type, out, title, ROW_COLUMNS, about(title, f, m == Figures.Measure.OVERDUE ? null : "指标：" + m.param()))) {
                rows.rows(f, m, r -> w.row(rowCells(r)));
            }
        };
        return download(body, type, title + "_" + LocalDate.ofInstant(f.asOf(), zone));
    }

    private Table.Writer writer(String type, java.io.OutputStream out, String title, List<Table.Column> columns,
            List<String[]> about) {
        return type.equals(Table.CSV) ? Table.csv(out, columns, zone) : Table.xlsx(out, title, columns, zone, about);
    }

    private static final Map<SummaryReport.GroupBy, String> GROUPINGS = Map.of(SummaryReport.GroupBy.unit, "按承办单位",
            SummaryReport.GroupBy.source, "按事项来源", SummaryReport.GroupBy.priority, "按紧急程度",
            SummaryReport.GroupBy.category, "按类别", SummaryReport.GroupBy.month, "按交办月份");

    /**
     * What an XLSX export states about itself (its sheet 说明): the report, the period, the as-of time, the
     * filters and when it was made. A CSV carries the period and as-of date in its file name only.
     */
    List<String[]> about(String report, ReportFilter f, String detail) {
        java.time.format.DateTimeFormatter minutes = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        List<String[]> a = new ArrayList<>();
        a.add(new String[] { "报表", report });
        a.add(new String[] { "统计期间", f.from() == null && f.to() == null ? "不限（按交办日期）"
                : (f.from() == null ? "" : f.from()) + " 至 " + (f.to() == null ? "" : f.to()) + "（按交办日期，含首尾）" });
        a.add(new String[] { "统计截止时间", minutes.format(f.asOf()) + "（" + zone.getId() + "）" });
        if (detail != null) {
            a.add(new String[] { "口径", detail });
        }
        if (f.unit() != null) {
            a.add(new String[] { "承办单位", f.unit() });
        }
        if (f.source() != null) {
            a.add(new String[] { "事项来源", label(SourceType.class, f.source()) });
        }
        if (f.priority() != null) {
            a.add(new String[] { "紧急程度", label(Priority.class, f.priority()) });
        }
        if (f.category() != null) {
            a.add(new String[] { "类别", f.category() });
        }
        if (f.role() != null) {
            a.add(new String[] { "承办角色", label(AssignmentRole.class, f.role()) });
        }
        a.add(new String[] { "导出时间", minutes.format(clock.instant()) });
        return a;
    }

    private static Response download(StreamingOutput body, String type, String name) {
        String ext = type.equals(Table.CSV) ? ".csv" : ".xlsx";
        String encoded = java.net.URLEncoder.encode(name + ext, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return Response.ok(body, type.equals(Table.CSV) ? Table.CSV + ";charset=UTF-8" : Table.XLSX)
                .header("Content-Disposition", "attachment; filename=\"report" + ext + "\"; filename*=UTF-8''" + encoded)
                .build();
    }

    static Object[] rowCells(ReportRows.Row r) {
        return new Object[] { r.itemNumber(), r.title(), r.unitName(), r.unitCode(), label(AssignmentRole.class, r.role()),
                label(io.duban.common.domain.AssignmentStatus.class, r.status()), r.responsibleLeader(),
                label(SourceType.class, r.sourceType()), label(Priority.class, r.priority()), r.category(), r.dispatchedOn(),
                r.deadline(), r.workingDaysOverdue(), r.lastProgressAt(), r.lastProgressPercent(), r.urges(),
                r.warningReason() };
    }

    static Object[] summaryCells(SummaryReport.Row r) {
        return new Object[] { r.key() == null ? "合计" : r.key(), r.label(), r.received(), r.completed(),
                r.completedOnTime(), r.completedLate(), r.open(), r.overdue(), r.workingDaysOverdue(), r.cancelled(),
                r.completionRate(), r.onTimeRate(), r.averageHandlingDays(), r.extensionsAsked(), r.extensionsApproved(),
                r.urges(), r.declined(), r.assistReceived(), r.assistCompleted(), r.assistOverdue() };
    }

    static <E extends Enum<E> & Labelled> String label(Class<E> type, String name) {
        return SummaryReport.enumLabel(type, name);
    }

    /** The format Accept asks for, among ours; JSON when it names none of them specifically. */
    static String format(HttpHeaders headers) {
        List<MediaType> acceptable;
        try {
            acceptable = headers.getAcceptableMediaTypes();
        } catch (RuntimeException malformed) {
            // An Accept header JAX-RS cannot parse: read it leniently, in the order written.
            String raw = String.valueOf(headers.getHeaderString(HttpHeaders.ACCEPT));
            for (String range : raw.split(",")) {
                String r = range.split(";")[0].strip();
                if (r.equals(Table.CSV) || r.equals(Table.XLSX) || r.equals(MediaType.APPLICATION_JSON)) {
                    return r;
                }
            }
            return MediaType.APPLICATION_JSON;
        }
        for (MediaType t : acceptable) {
            if (t.isWildcardType()) {
                return MediaType.APPLICATION_JSON;
            }
            String s = t.getType() + "/" + t.getSubtype();
            if (s.equals(Table.CSV) || s.equals(Table.XLSX) || s.equals(MediaType.APPLICATION_JSON)) {
                return s;
            }
        }
        return MediaType.APPLICATION_JSON;
    }

    private static void period(LocalDate from, LocalDate to) {
        if (from == null || to == null) {
            throw ProblemException.invalid(from == null ? "from" : "to", "field.required");
        }
        OfficeDates.require("from", from);
        OfficeDates.require("to", to);
        if (to.isBefore(from) || to.isAfter(from.plusYears(MAX_RANGE_YEARS))) {
            throw ProblemException.invalid("to", "field.dateRange", MAX_RANGE_YEARS);
        }
    }

    ReportFilter filter(LocalDate from, LocalDate to, Instant asOf, String unit, String source, String priority,
            String category, String role) {
        return new ReportFilter(from, to, asOf, scopedUnit(unit),
                source == null ? null : enumValue(SourceType.class, "source", source).name(),
                priority == null ? null : enumValue(Priority.class, "priority", priority).name(),
                category, role == null ? null : enumValue(AssignmentRole.class, "role", role).name());
    }

    /** The unit a caller may see: a handler's own (naming another is 404), anyone else's choice. */
    String scopedUnit(String unit) {
        Caller c = caller.get();
        if (c.seesAll()) {
            return unit;
        }
        if (c.unitCode() == null) {
            throw new ProblemException(403, "unit-scope");
        }
        if (unit != null && !unit.equals(c.unitCode())) {
            throw ProblemException.notFound("unit", unit);
        }
        return c.unitCode();
    }

    Instant asOf(String value) {
        if (value == null) {
            return clock.instant();
        }
        try {
            if (value.length() == 10) {
                LocalDate d = LocalDate.parse(value);
                if (!OfficeDates.contains(d)) {
                    throw ProblemException.invalid("asOf", "field.asOf");
                }
                return d.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1000);
            }
            OffsetDateTime t = OffsetDateTime.parse(value);
            if (!OfficeDates.contains(t.toLocalDate())) {
                throw ProblemException.invalid("asOf", "field.asOf");
            }
            return t.toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("asOf", "field.asOf");
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "field.enum",
                    String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
        }
    }
}
