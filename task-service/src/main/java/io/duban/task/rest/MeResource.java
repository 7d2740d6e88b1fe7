package io.duban.task.rest;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.security.Caller;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import io.duban.task.api.Views;
import io.duban.task.feed.AssignmentFeedService;
import io.duban.task.feed.FeedPages;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the calling handler's unit has to do: the feed mobile clients poll. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Me", description = "本单位待办")
@SecurityRequirement(name = "jwt")
public class MeResource {

    private final AssignmentFeedService feed;
    private final FeedPages pages;
    private final CurrentCaller caller;

    public MeResource(AssignmentFeedService feed, FeedPages pages, CurrentCaller caller) {
        this.feed = feed;
        this.pages = pages;
        this.caller = caller;
    }

    @GET
    @Path("/assignments")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "The assignments of the caller's unit, for polling",
            description = """
                    Open assignments by default (PENDING_ACCEPTANCE, IN_PROGRESS, SUBMITTED); `status` (repeatable) \
                    chooses others. Each row carries the item's number, title and deadline, the warning level with \
                    its reason, and `actions`: what the unit may do now, as the path segment of each action \
                    (`/tasks/{itemId}/assignments/{unit}/{action}`).

                    Polling protocol:
                    1. The response carries an `ETag`. Send it back as `If-None-Match`: when nothing changed the \
                    answer is **304 with no body**, at the cost of one indexed query.
                    2. The body carries an opaque `changeToken`. Send it back as `changedSince` to get only what \
                    changed since (`full: false`): rows that are new or changed, and in `removed` markers for \
                    assignments that left the list (reassigned, cancelled, declined, completed, or no longer \
                    matching `status`). A row may come again in a later delta; apply rows by `assignmentId`.
                    3. A malformed token answers 400; a token older than the retention (30 days by default) \
                    answers 410. Either way, fetch again without `changedSince` and replace the local copy.
                    4. A list longer than `limit` (default 500, at most 1000) comes in pages: while the body has a \
                    `nextCursor`, call again with `cursor` (and nothing else changed) for the next page. Keep the \
                    **first** page's `changeToken` for the next delta: it was taken before the first row was read, so \
                    a change made while you paged comes again in that delta. A cursor answers 410 when midnight or a \
                    calendar import moved the lights in the middle of the read: start again.
                    """)
    @APIResponse(responseCode = "200", description = "The feed", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.AssignmentFeed.class)))
    public Response listMyAssignments(
            @QueryParam("status") @Parameter(description = "repeatable; default the open ones") List<AssignmentStatus> status,
            @QueryParam("changedSince") @Parameter(description = "a changeToken from an earlier response") String changedSince,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page of this read") String cursor,
            @QueryParam("limit") @Parameter(description = "rows a page, 1..1000, default 500") Integer limit,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.ACCEPT_ENCODING) @Parameter(hidden = true) String acceptEncoding,
            @Context HttpServerRequest request) {
        Caller me = caller.get();
        List<AssignmentStatus> statuses = AssignmentFeedService.statuses(status);
        String etag = feed.etag(me.unitCode(), statuses);
        boolean delta = changedSince != null && !changedSince.isBlank() || cursor != null && !cursor.isBlank();
        if (!delta && Etags.matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        if (delta) {
            return Response.ok(feed.read(me.unitCode(), statuses, changedSince, cursor, limit))
                    .header(HttpHeaders.ETAG, etag).build();
        }
        // A first page: the unit's phones share it (FeedPages), compressed once for all of them.
        int size = AssignmentFeedService.pageSize(limit);
        // Sent compressed as it is kept over HTTP/1.1 (what an ingress speaks to the service). HTTP/2's
        // encoder compresses whatever a response's Content-Encoding names, so there the page goes plain
        // and is compressed for the client like any other response.
        boolean asKept = acceptsGzip(acceptEncoding) && request.version() != HttpVersion.HTTP_2;
        FeedPages.Body body = pages.firstPage(me.unitCode(), etag, size, asKept,
                () -> feed.read(me.unitCode(), statuses, null, null, limit));
        if (body.gzip()) {
            // On the HTTP response itself, in place of the `identity` the HTTP layer put there to mean
            // "compress me": a body that has an encoding is left alone.
            request.response().headers().set(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        return Response.ok(body.bytes(), MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING).build();
    }

    /** Whether Accept-Encoding lets gzip through (a coding named, or *, with a quality above 0). */
    static boolean acceptsGzip(String header) {
        if (header == null) {
            return false;
        }
        boolean star = false;
        for (String part : header.split(",")) {
            String[] p = part.split(";");
            String coding = p[0].strip().toLowerCase(java.util.Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].strip().replace(" ", "");
                if (param.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(param.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused;
            }
            if (coding.equals("*")) {
                star = !refused;
            }
        }
        return star;
    }
}
