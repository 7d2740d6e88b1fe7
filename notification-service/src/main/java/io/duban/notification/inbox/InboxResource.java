package io.duban.notification.inbox;

import io.duban.common.paging.Cursors;
import io.duban.common.security.Caller;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The in-app inbox (站内信): reminders, escalations and urges. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inbox", description = "站内信：提醒、督办升级与催办")
@SecurityRequirement(name = "jwt")
public class InboxResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final Inbox inbox;
    private final CurrentCaller caller;

    public InboxResource(Inbox inbox, CurrentCaller caller) {
        this.inbox = inbox;
        this.caller = caller;
    }

    @GET
    @Path("/me/notifications")
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER })
    @Operation(summary = "The caller's notices, newest first",
            description = """
                    A handler reads their unit's notices (reminders, urges, escalations to the unit and its head); a \
                    leader the escalations to leaders; the office the escalations to the office; everyone what is \
                    addressed to them by name. `read` is the caller's own read mark.

                    Polling: the response carries an `ETag`; send it back as `If-None-Match` and an unchanged inbox \
                    answers 304 with no body. The body's `changeToken`, sent back as `changedSince`, gives only the \
                    notices written, changed (acknowledged) or read by the caller since (`full: false`). A malformed \
                    token answers 400, one older than 30 days 410: fetch again without it.

                    Pages: at most `limit` notices (1..200, default 50), the newest first. While the body has a \
                    `nextCursor`, send it back as `cursor` (nothing else needed) for the next, older page of the same \
                    read, full or delta. Keep the **first** page's `changeToken` for the next delta: it was taken \
                    before any page was read, so a change made while you paged comes again then. A malformed cursor \
                    answers 400, one whose read began over 30 days ago 410.
                    """)
    @APIResponse(responseCode = "200", description = "The notices")
    public RestResponse<Inbox.Page> listMyNotifications(
            @QueryParam("changedSince") @Parameter(description = "a changeToken from an earlier response") String changedSince,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page of this read") String cursor,
            @QueryParam("limit") @Parameter(description = "1..200, default 50") Integer limit,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Caller me = caller.get();
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String etag = inbox.etag(me);
        boolean delta = changedSince != null && !changedSince.isBlank() || cursor != null && !cursor.isBlank();
        if (!delta && Etags.matches(ifNoneMatch, etag)) {
            return RestResponse.ResponseBuilder.<Inbox.Page>notModified().header(HttpHeaders.ETAG, etag).build();
        }
        Inbox.Page page = inbox.list(me, changedSince, cursor, n);
        return RestResponse.ResponseBuilder.ok(page).header(HttpHeaders.ETAG, etag).build();
    }

    @POST
    @Path("/notifications/{id}/read")
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER })
    @Operation(summary = "Mark a notice read by the caller",
            description = "Read marks are per person. Again: no change. 404 for a notice the caller may not see (a "
                    + "handler sees their own unit's only).")
    @APIResponse(responseCode = "200", description = "The notice")
    public Notice markNotificationRead(@PathParam("id") UUID id) {
        return inbox.markRead(caller.get(), id);
    }

    @POST
    @Path("/notifications/{id}/ack")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "The unit acknowledges an urge (催办确认)",
            description = "Only urges are acknowledged (409 for another notice); the office sees the urge leave its list "
                    + "of unacknowledged urges. Again: no change. 404 for another unit's notice.")
    @APIResponse(responseCode = "200", description = "The urge, acknowledged")
    public Notice acknowledgeNotification(@PathParam("id") UUID id) {
        return inbox.acknowledge(caller.get(), id);
    }
}
