package io.duban.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.duban.common.idempotency.IdempotentPosts;
import io.duban.common.paging.Page;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.time.OfficeConfig;
import io.duban.common.web.Etags;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** 督查通报: numbered, frozen bulletins; JSON, XLSX and an HTML print view. */
@Path("/api/v1/bulletins")
@Tag(name = "Bulletins", description = "督查通报（编号、冻结快照、导出与打印）")
@SecurityRequirement(name = "jwt")
public class BulletinResource {

    private final Bulletins bulletins;
    private final ReportsResource reports;
    private final CurrentCaller caller;
    private final Clock clock;
    private final ZoneId zone;
    private final IdempotentPosts idempotent;

    /** The version of every bulletin's JSON: the one it was issued with. */
    private static final long ISSUED = 1;

    public BulletinResource(Bulletins bulletins, ReportsResource reports, CurrentCaller caller, Clock clock, OfficeConfig office,
            IdempotentPosts idempotent) {
        this.idempotent = idempotent;
        this.bulletins = bulletins;
        this.reports = reports;
        this.caller = caller;
        this.clock = clock;
        this.zone = office.zone();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Issue a bulletin: the next number of the year, and a frozen snapshot of the period",
            description = "The summary by unit, the ranking and the overdue list (at most 2,000 rows, with the total) "
                    + "of the period as they stand at asOf, stored unchanged. Numbers count per year of issue, without gaps.")
    @APIResponse(responseCode = "201", description = "The bulletin", content = @Content(schema = @Schema(implementation = Bulletins.Bulletin.class)))
    public RestResponse<Bulletins.Bulletin> create(Bulletins.Request body,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Bulletins.Request r = body;
        var issuer = new Bulletins.Issuer(caller.get().username(), IdempotentPosts.key(key, headers), uri.getPath());
        var issued = bulletins.create(r, reports.asOf(r == null ? null : r.asOf()), clock.instant(), zone, issuer);
        if (issued.replayed() != null) {
            return idempotent.replay(issued.replayed(), Bulletins.Bulletin.class);
        }
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, issued.bulletin())
                .header(HttpHeaders.LOCATION, Bulletins.location(issued.bulletin().id())).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "Bulletins issued, newest first",
            description = "Number, title, period and issue time of each bulletin, optionally of one year; the snapshot"
                    + " itself comes with GET /api/v1/bulletins/{id}. Ordered by year and number, descending. Paged by"
                    + " an opaque cursor: pass `nextCursor` back as `cursor` with the same filter; `nextCursor` is null"
                    + " on the last page. A cursor of another list, or none of ours, is 400 bad-cursor.")
    public Page<Bulletins.Listed> list(@QueryParam("year") @Parameter(description = "Year of issue (optional)") Integer year,
            @QueryParam("limit") @Parameter(description = "1..200, default 50") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        return bulletins.list(year, limit, cursor);
    }

    @GET
    @Path("/{id}")
    @Produces({ MediaType.APPLICATION_JSON, Table.XLSX })
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One bulletin as issued: JSON, or XLSX (sheets 考核排名, 统计汇总, 超期清单) by Accept",
            description = "Returned unchanged however the items move on: the figures were frozen when it was issued. "
                    + "The JSON's ETag is \"1\" for good (a bulletin never changes); If-None-Match answers 304.")
    @APIResponse(responseCode = "200", description = "The bulletin", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Bulletins.Bulletin.class)),
            @Content(mediaType = Table.XLSX, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response get(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        Bulletins.Bulletin b = bulletins.get(id);
        if (!ReportsResource.format(headers).equals(Table.XLSX)) {
            // Issued once and never changed: its JSON is version 1 for good, and a client's copy stays valid.
            Response r = Etags.answer(b, Etags.of(ISSUED), headers.getHeaderString(HttpHeaders.IF_NONE_MATCH)).toResponse();
            return r.getStatus() == 200 ? Response.fromResponse(r).type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build() : r;
        }
        JsonNode s = b.snapshot();
        StreamingOutput out = o -> {
            Table.Book book = new Table.Book(zone);
            Table.Writer rank = book.sheet("考核排名", Ranking.COLUMNS);
            for (JsonNode e : s.path("ranking").path("units")) {
                rank.row(Ranking.cells(e));
            }
            Table.Writer sum = book.sheet("统计汇总", ReportsResource.SUMMARY_COLUMNS);
            for (JsonNode r : s.path("summary").path("rows")) {
                sum.row(summaryCells(r));
            }
            sum.row(summaryCells(s.path("summary").path("totals")));
            Table.Writer od = book.sheet("超期清单", ReportsResource.ROW_COLUMNS);
            for (JsonNode r : s.path("overdue").path("rows")) {
                od.row(r.path("itemNumber").asText(), r.path("title").asText(), r.path("unitName").asText(null),
                        r.path("unitCode").asText(), r.path("role").asText(), r.path("status").asText(),
                        r.path("responsibleLeader").asText(null), r.path("sourceType").asText(), r.path("priority").asText(),
                        r.path("category").asText(null), date(r.path("dispatchedOn")), date(r.path("deadline")),
                        r.path("workingDaysOverdue").isNull() ? null : r.path("workingDaysOverdue").asInt(),
                        r.path("lastProgressAt").isNull() ? null : OffsetDateTime.parse(r.path("lastProgressAt").asText()),
                        r.path("lastProgressPercent").isNull() ? null : r.path("lastProgressPercent").asInt(),
                        r.path("urges").asInt(), r.path("warningReason").asText());
            }
            book.finish(o);
        };
        return Response.ok(out, Table.XLSX).header("Content-Disposition", "attachment; filename=\"bulletin.xlsx\"").build();
    }

    @GET
    @Path("/{id}/print")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One bulletin as a printable office document (HTML print view)",
            description = "An HTML page laid out as an office bulletin (number, preface, ranking, summary, overdue list),"
                    + " for the browser's print dialog.")
    @APIResponse(responseCode = "200", description = "The print view", content = @Content(mediaType = MediaType.TEXT_HTML,
            schema = @Schema(type = SchemaType.STRING)))
    public Response print(@PathParam("id") UUID id) {
        return Response.ok(BulletinHtml.render(bulletins.get(id), zone), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }


    private static LocalDate date(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : LocalDate.parse(n.asText());
    }

    private static Object[] summaryCells(JsonNode r) {
        String[] f = { "received", "completed", "completedOnTime", "completedLate", "open", "overdue", "workingDaysOverdue",
                "cancelled", "completionRate", "onTimeRate", "averageHandlingDays", "extensionsAsked", "extensionsApproved",
                "urges", "declined", "assistReceived", "assistCompleted", "assistOverdue" };
        Object[] out = new Object[f.length + 2];
        out[0] = r.path("key").isNull() ? "合计" : r.path("key").asText();
        out[1] = r.path("label").asText();
        for (int i = 0; i < f.length; i++) {
            JsonNode v = r.path(f[i]);
            out[i + 2] = v.isNull() || v.isMissingNode() ? null : v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble();
        }
        return out;
    }
}
