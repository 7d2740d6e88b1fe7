package io.duban.task.rest;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.security.Caller;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import io.duban.task.api.Views;
import io.duban.task.feed.AssignmentFeedService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** What the calling handler's unit has to do: the feed mobile clients poll. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Me", description = "本单位待办")
@SecurityRequirement(name = "jwt")
public class MeResource {

    private final AssignmentFeedService feed;
    private final CurrentCaller caller;

    public MeResource(AssignmentFeedService feed, CurrentCaller caller) {
        this.feed = feed;
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
    @APIResponse(responseCode = "200", description = "The feed")
    public RestResponse<Views.AssignmentFeed> listMyAssignments(
            @QueryParam("status") @Parameter(description = "repeatable; default the open ones") List<AssignmentStatus> status,
            @QueryParam("changedSince") @Parameter(description = "a changeToken from an earlier response") String changedSince,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page of this read") String cursor,
            @QueryParam("limit") @Parameter(description = "rows a page, 1..1000, default 500") Integer limit,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Caller me = caller.get();
        List<AssignmentStatus> statuses = AssignmentFeedService.statuses(status);
        String etag = feed.etag(me.unitCode(), statuses);
        boolean delta = changedSince != null && !changedSince.isBlank() || cursor != null && !cursor.isBlank();
        if (!delta && Etags.matches(ifNoneMatch, etag)) {
            return RestResponse.ResponseBuilder.<Views.AssignmentFeed>notModified().header(HttpHeaders.ETAG, etag).build();
        }
        Views.AssignmentFeed body = feed.read(me.unitCode(), statuses, changedSince, cursor, limit);
        return RestResponse.ResponseBuilder.ok(body).header(HttpHeaders.ETAG, etag).build();
    }
}
