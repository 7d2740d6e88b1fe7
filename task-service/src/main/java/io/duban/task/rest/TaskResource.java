package io.duban.task.rest;

import io.duban.task.api.ItemPatch;
import io.duban.task.api.ItemRequest;
import io.duban.task.api.Requests;
import io.duban.task.api.Views;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.ExtensionRequest;
import io.duban.task.domain.Instruction;
import io.duban.task.domain.ItemStatus;
import io.duban.task.domain.Priority;
import io.duban.task.domain.SourceType;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.security.Caller;
import io.duban.task.security.CurrentCaller;
import io.duban.task.security.Roles;
import io.duban.task.service.Etags;
import io.duban.task.service.ItemAccess;
import io.duban.task.service.ItemQuery;
import io.duban.task.service.ItemSearch;
import io.duban.task.service.ItemService;
import io.duban.task.service.LifecycleService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Supervision items and their lifecycle. Every action answers the item as the caller now sees it,
 * with its new ETag; every action takes an optional If-Match (a stale version answers 412).
 */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Items", description = "督办事项")
@SecurityRequirement(name = "jwt")
public class TaskResource {


    private final ItemService items;
    private final ItemSearch search;
    private final LifecycleService lifecycle;
    private final ItemAccess access;
    private final CurrentCaller caller;
    private final ZoneId zone;

    public TaskResource(ItemService items, ItemSearch search, LifecycleService lifecycle, ItemAccess access,
            CurrentCaller caller, DubanConfig config) {
        this.items = items;
        this.search = search;
        this.lifecycle = lifecycle;
        this.access = access;
        this.caller = caller;
        this.zone = config.office().zone();
    }

    @POST
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Register an item as a draft (立项)")
    public Response create(@Valid @NotNull ItemRequest body, UriInfo uri) {
        Caller me = caller.get();
        SupervisionItem item = items.create(body, me);
        URI location = uri.getAbsolutePathBuilder().path(item.id.toString()).build();
        return withTag(Response.created(location), item, items.view(item, me));
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "List items", description = "Filters combine with AND. A handler sees only items "
            + "assigned to their own unit. Paged by an opaque cursor: pass `nextCursor` back as `cursor` "
            + "with the same filters and sort.")
    public Views.Page<Views.ItemSummary> list(
            @QueryParam("status") @Parameter(description = "repeatable") List<ItemStatus> status,
            @QueryParam("unit") @Parameter(description = "items with a live assignment of this unit") String unit,
            @QueryParam("sourceType") SourceType sourceType,
            @QueryParam("priority") Priority priority,
            @QueryParam("deadlineFrom") LocalDate deadlineFrom,
            @QueryParam("deadlineTo") LocalDate deadlineTo,
            @QueryParam("overdue") @Parameter(description = "open items past their deadline") Boolean overdue,
            @QueryParam("q") @Parameter(description = "text in the title") String q,
            @QueryParam("sort") @Parameter(description = "createdAt, deadline, number or updatedAt; "
                    + "prefix - for descending; default -createdAt") String sort,
            @QueryParam("limit") @Parameter(description = "1..100, default 20") Integer limit,
            @QueryParam("cursor") String cursor) {
        return search.search(new ItemQuery(status, unit, sourceType, priority, deadlineFrom, deadlineTo, overdue, q,
                sort, limit, cursor), caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One item with its assignments, instructions, extension requests and progress reports")
    public Response get(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Caller me = caller.get();
        SupervisionItem item = access.visible(id, me);
        if (Etags.matches(ifNoneMatch, item.version)) {
            return Response.notModified(new EntityTag(String.valueOf(item.version))).build();
        }
        return withTag(Response.ok(), item, items.view(item, me));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Edit an item", description = "Requires If-Match (428 without it, 412 when stale). "
            + "Omitted fields stay as they are. Deadline and units change only on a draft.")
    public Response patch(@PathParam("id") UUID id, @Valid @NotNull ItemPatch body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(items.patch(id, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/dispatch")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Dispatch a draft to its units (交办)")
    public Response dispatch(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.dispatch(id, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Cancel an open item (撤销)")
    public Response cancel(@PathParam("id") UUID id, @Valid @NotNull Requests.Cancel body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.cancel(id, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/review")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Review a submitted item: approve with a rating (办结) or return for rework (退回重办)")
    public Response review(@PathParam("id") UUID id, @Valid @NotNull Requests.Review body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.review(id, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/instructions")
    @RolesAllowed(Roles.LEADER)
    @Operation(summary = "Add a leader's instruction (领导批示)")
    public Response instruct(@PathParam("id") UUID id, @Valid @NotNull Requests.Instruct body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, UriInfo uri) {
        Instruction i = lifecycle.instruct(id, body, caller.get(), ifMatch);
        return Response.created(uri.getAbsolutePathBuilder().path(i.id.toString()).build())
                .entity(Views.InstructionView.of(i, zone)).build();
    }

    @POST
    @Path("/{id}/urge")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Urge one unit, or every unit still working (催办)")
    public Response urge(@PathParam("id") UUID id, @Valid @NotNull Requests.Urge body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.urge(id, body, me, ifMatch), me);
    }

    @GET
    @Path("/{id}/timeline")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "The item's append-only history (办理记录), oldest first")
    public List<Views.TimelineView> timeline(@PathParam("id") UUID id) {
        return items.timeline(id, caller.get());
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/accept")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Accept the unit's assignment (签收)")
    public Response accept(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.accept(id, unit, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/decline")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Decline an assignment the unit is not responsible for (退回)")
    public Response decline(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Decline body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.decline(id, unit, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/reassign")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Move the unit's assignment to another unit (转办)")
    public Response reassign(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Reassign body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.reassign(id, unit, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/progress")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Report progress (进展反馈)")
    public Response progress(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Progress body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.reportProgress(id, unit, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/submit")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Submit the unit's part, or the lead unit submits the item for closing (申请办结)")
    public Response submit(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Submit body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(lifecycle.submit(id, unit, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/extension-requests")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Ask for a later deadline (延期申请)")
    public Response requestExtension(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.ExtensionAsk body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            UriInfo uri) {
        ExtensionRequest e = lifecycle.requestExtension(id, unit, body, caller.get(), ifMatch);
        URI location = uri.getBaseUriBuilder().path("api/v1/tasks").path(id.toString())
                .path("extension-requests").path(e.id.toString()).build();
        return Response.created(location).entity(Views.ExtensionView.of(e, zone)).build();
    }

    @POST
    @Path("/{id}/extension-requests/{rid}/approve")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Approve an extension: the requested date becomes the deadline (批准延期)")
    public Views.ExtensionView approveExtension(@PathParam("id") UUID id, @PathParam("rid") UUID rid,
            @Valid Requests.ExtensionDecision body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return Views.ExtensionView.of(lifecycle.decideExtension(id, rid, true, body, caller.get(), ifMatch), zone);
    }

    @POST
    @Path("/{id}/extension-requests/{rid}/reject")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Reject an extension (驳回延期)")
    public Views.ExtensionView rejectExtension(@PathParam("id") UUID id, @PathParam("rid") UUID rid,
            @Valid Requests.ExtensionDecision body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return Views.ExtensionView.of(lifecycle.decideExtension(id, rid, false, body, caller.get(), ifMatch), zone);
    }

    private Response itemResponse(SupervisionItem item, Caller me) {
        return withTag(Response.ok(), item, items.view(item, me));
    }

    private static Response withTag(Response.ResponseBuilder builder, SupervisionItem item, Views.Item view) {
        return builder.tag(new EntityTag(String.valueOf(item.version))).entity(view).build();
    }
}
