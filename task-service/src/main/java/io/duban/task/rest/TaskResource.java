package io.duban.task.rest;

import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import io.duban.common.domain.WarningLevel;
import io.duban.common.idempotency.IdempotentPosts;
import io.duban.common.paging.Page;
import io.duban.common.security.Caller;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.time.OfficeConfig;
import io.duban.common.web.Etags;
import io.duban.task.api.ItemPatch;
import io.duban.task.api.ItemRequest;
import io.duban.task.api.Requests;
import io.duban.task.api.Views;
import io.duban.task.domain.ExtensionRequest;
import io.duban.task.domain.Instruction;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.service.ItemAccess;
import io.duban.task.service.ItemQuery;
import io.duban.task.service.ItemSearch;
import io.duban.task.service.ItemService;
import io.duban.task.service.LifecycleService;
import io.duban.task.service.TimelineIntegrity;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Supervision items and their lifecycle. Every action answers the item as the caller now sees it,
 * with its new ETag; every action takes an optional If-Match (a stale version answers 412).
 *
 * <p>Every method that takes a body says it @Consumes JSON (415 otherwise): without it, JAX-RS read
 * a text/plain body into the one-string records (Decline, Cancel, ExtensionDecision…) through their
 * constructor, past the JSON text rules, so a NUL reached PostgreSQL as a 500. Actions without a
 * body (dispatch, accept) take whatever Content-Type a client sends.
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
    private final IdempotentPosts idempotent;
    private final TimelineIntegrity integrity;
    private final ZoneId zone;

    public TaskResource(ItemService items, ItemSearch search, LifecycleService lifecycle, ItemAccess access,
            CurrentCaller caller, IdempotentPosts idempotent, TimelineIntegrity integrity,
            OfficeConfig office) {
        this.integrity = integrity;
        this.idempotent = idempotent;
        this.items = items;
        this.search = search;
        this.lifecycle = lifecycle;
        this.access = access;
        this.caller = caller;
        this.zone = office.zone();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Register an item as a draft (立项)", description = """
            With an `Idempotency-Key` (1-200 visible ASCII characters, scoped to the caller, kept 48 hours) \
            a retry with the same key and the same body returns the first response (same status, same item, \
            header `Idempotent-Replayed: true`) without creating anything; the same key with a different body \
            (or sent to another path) answers 422; a retry while the first request is still running answers 409. Requests that fail \
            validation are not remembered.""")
    @APIResponse(responseCode = "201", description = "The new draft item; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Views.Item.class)))
    public RestResponse<Views.Item> createItem(@Valid @NotNull ItemRequest body,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = "makes retries safe; see above") String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class, () -> {
            SupervisionItem item = items.create(body, me);
            return withTag(RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, items.view(item, me))
                    .header(HttpHeaders.LOCATION, location(item)), item);
        });
    }

    /** Where a new item is: relative to the API root, never built from the request's Host header. */
    private static String location(SupervisionItem item) {
        return "/api/v1/tasks/" + item.id;
    }

    @GET
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "List items", description = "Filters combine with AND. A handler sees only items "
            + "assigned to their own unit. Paged by an opaque cursor: pass `nextCursor` back as `cursor` "
            + "with the same filters and sort.")
    public Page<Views.ItemSummary> listItems(
            @QueryParam("status") @Parameter(description = "repeatable") List<ItemStatus> status,
            @QueryParam("unit") @Parameter(description = "items with a live assignment of this unit") String unit,
            @QueryParam("sourceType") SourceType sourceType,
            @QueryParam("priority") Priority priority,
            @QueryParam("deadlineFrom") LocalDate deadlineFrom,
            @QueryParam("deadlineTo") LocalDate deadlineTo,
            @QueryParam("overdue") @Parameter(description = "open items past their deadline") Boolean overdue,
            @QueryParam("warning") @Parameter(description = "open items with this warning level (红黄绿灯)")
            WarningLevel warning,
            @QueryParam("externalSystem") @Parameter(description = "the calling system's name") String externalSystem,
            @QueryParam("externalRef") @Parameter(description = "the calling system's own id") String externalRef,
            @QueryParam("q") @Parameter(description = "text in the title") String q,
            @QueryParam("sort") @Parameter(description = "createdAt, deadline, number or updatedAt; "
                    + "prefix - for descending; default -createdAt") String sort,
            @QueryParam("limit") @Parameter(description = "1..100, default 20") Integer limit,
            @QueryParam("cursor") String cursor) {
        return search.search(new ItemQuery(status, unit, sourceType, priority, deadlineFrom, deadlineTo, overdue, warning,
                externalSystem, externalRef, q,
                sort, limit, cursor), caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One item with its assignments, instructions, extension requests and progress reports",
            description = "Answers 304 with no body when If-None-Match names the current ETag.")
    @APIResponse(responseCode = "200", description = "The item")
    public RestResponse<Views.Item> getItem(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Caller me = caller.get();
        SupervisionItem item = access.visible(id, me);
        String etag = items.etag(item);
        if (Etags.matches(ifNoneMatch, etag)) {
            return RestResponse.ResponseBuilder.<Views.Item>notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return withTag(RestResponse.ResponseBuilder.ok(items.view(item, me)), item);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Edit an item", description = "Requires If-Match (428 without it, 412 when stale). "
            + "Omitted fields stay as they are. Deadline and units change only on a draft.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> updateItem(@PathParam("id") UUID id, @Valid @NotNull ItemPatch body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Caller me = caller.get();
        return itemResponse(items.patch(id, body, me, ifMatch), me);
    }

    @POST
    @Path("/{id}/dispatch")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Dispatch a draft to its units (交办)",
            description = "The draft becomes ACTIVE and each unit gets an assignment to accept; a deadline given in working days is counted from today.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> dispatchItem(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, null, Views.Item.class, () -> itemResponse(lifecycle.dispatch(id, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Cancel an open item (撤销)",
            description = "Withdraws the item and every live assignment; the reason is kept in the timeline.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> cancelItem(@PathParam("id") UUID id, @Valid @NotNull Requests.Cancel body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class, () -> itemResponse(lifecycle.cancel(id, body, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Review a submitted item: approve with a rating (办结) or return for rework (退回重办)",
            description = "APPROVE needs a rating and completes the item (on time or not against the effective deadline); RETURN needs a comment and sends the lead unit back to work.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> reviewItem(@PathParam("id") UUID id, @Valid @NotNull Requests.Review body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class, () -> itemResponse(lifecycle.review(id, body, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/instructions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.LEADER)
    @Operation(summary = "Add a leader's instruction (领导批示)",
            description = "Every unit working on the item is notified through an INSTRUCTION_ADDED event.")
    @APIResponse(responseCode = "201", description = "The instruction",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Views.InstructionView.class)))
    public RestResponse<Views.InstructionView> addInstruction(@PathParam("id") UUID id, @Valid @NotNull Requests.Instruct body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, Views.InstructionView.class, () -> {
            Instruction i = lifecycle.instruct(id, body, caller.get(), ifMatch);
            // Instructions are read with their item (GET /tasks/{id}); there is no URL of their own.
            return RestResponse.status(RestResponse.Status.CREATED, Views.InstructionView.of(i, zone));
        });
    }

    @POST
    @Path("/{id}/urge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Urge one unit, or every unit still working (催办)",
            description = "Counts an urge against each unit urged and emits ITEM_URGED for it.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> urgeItem(@PathParam("id") UUID id, @Valid @NotNull Requests.Urge body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class,
                () -> itemResponse(lifecycle.urge(id, body, me, ifMatch), me));
    }

    @GET
    @Path("/{id}/timeline")
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "The item's append-only history (办理记录), oldest first",
            description = "Who did what, when, with the state before and after. A handler sees the lines of their own unit "
                    + "and of the item as a whole. Paged by an opaque cursor: pass `nextCursor` back as `cursor`; "
                    + "entries written after the first page come on the last.")
    public Page<Views.TimelineView> getTimeline(@PathParam("id") UUID id,
            @QueryParam("limit") @Parameter(description = "1..500, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        return items.timeline(id, caller.get(), limit, cursor);
    }

    @GET
    @Path("/{id}/timeline/verify")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Check that the item's history is as it was written (办理记录防篡改校验)",
            description = "Each timeline entry carries a SHA-256 over its content and the previous entry's hash; "
                    + "the item keeps the newest. intact is false, with the first entry that breaks the chain, when "
                    + "an entry was changed, removed, inserted or reordered in the database behind the service.")
    public Views.TimelineCheck verifyTimeline(@PathParam("id") UUID id) {
        return integrity.verify(id, caller.get());
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/accept")
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Accept the unit's assignment (签收)",
            description = "PENDING_ACCEPTANCE to IN_PROGRESS; only a handler of that unit.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> acceptAssignment(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, null, Views.Item.class, () -> itemResponse(lifecycle.accept(id, unit, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/decline")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Decline an assignment the unit is not responsible for (退回)",
            description = "PENDING_ACCEPTANCE to DECLINED with a reason; the office then reassigns it.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> declineAssignment(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Decline body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class, () -> itemResponse(lifecycle.decline(id, unit, body, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/reassign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Move the unit's assignment to another unit (转办)",
            description = "The old assignment becomes REASSIGNED; the new unit gets one to accept, with the same role and deadline.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> reassignAssignment(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Reassign body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class, () -> itemResponse(lifecycle.reassign(id, unit, body, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Report progress (进展反馈)",
            description = "Text, percent done, next steps and problems needing help; resets the periodic report clock.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> reportProgress(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Progress body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class,
                () -> itemResponse(lifecycle.reportProgress(id, unit, body, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/submit")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Submit the unit's part, or the lead unit submits the item for closing (申请办结)",
            description = "An assist unit submits its part; the lead unit, once all assist units have, submits the item for review.")
    @APIResponse(responseCode = "200", description = "The item as the caller now sees it")
    public RestResponse<Views.Item> submitAssignment(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.Submit body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller me = caller.get();
        return idempotent.once(key, headers, uri, body, Views.Item.class, () -> itemResponse(lifecycle.submit(id, unit, body, me, ifMatch), me));
    }

    @POST
    @Path("/{id}/assignments/{unitCode}/extension-requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.HANDLER)
    @Operation(summary = "Ask for a later deadline (延期申请)",
            description = "One pending request per assignment, for a date later than the current deadline.")
    @APIResponse(responseCode = "201", description = "The pending request",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Views.ExtensionView.class)))
    public RestResponse<Views.ExtensionView> requestExtension(@PathParam("id") UUID id, @PathParam("unitCode") String unit,
            @Valid @NotNull Requests.ExtensionAsk body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, Views.ExtensionView.class, () -> {
            ExtensionRequest e = lifecycle.requestExtension(id, unit, body, caller.get(), ifMatch);
            // Requests are read with their item (GET /tasks/{id}); there is no URL of their own.
            return RestResponse.status(RestResponse.Status.CREATED, Views.ExtensionView.of(e, zone));
        });
    }

    @POST
    @Path("/{id}/extension-requests/{rid}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Approve an extension: the requested date becomes the deadline (批准延期)",
            description = "The requested date replaces the assignment deadline (and the item deadline when the lead unit asked); the original is kept.")
    public RestResponse<Views.ExtensionView> approveExtension(@PathParam("id") UUID id, @PathParam("rid") UUID rid,
            @Valid Requests.ExtensionDecision body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, Views.ExtensionView.class, () -> RestResponse.ok(
                Views.ExtensionView.of(lifecycle.decideExtension(id, rid, true, body, caller.get(), ifMatch), zone)));
    }

    @POST
    @Path("/{id}/extension-requests/{rid}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Reject an extension (驳回延期)",
            description = "The deadline stays as it is.")
    public RestResponse<Views.ExtensionView> rejectExtension(@PathParam("id") UUID id, @PathParam("rid") UUID rid,
            @Valid Requests.ExtensionDecision body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, Views.ExtensionView.class, () -> RestResponse.ok(
                Views.ExtensionView.of(lifecycle.decideExtension(id, rid, false, body, caller.get(), ifMatch), zone)));
    }

    private RestResponse<Views.Item> itemResponse(SupervisionItem item, Caller me) {
        return withTag(RestResponse.ResponseBuilder.ok(items.view(item, me)), item);
    }

    /** An item's ETag: its version and what its light depends on (see {@link ItemService#etag}). */
    private RestResponse<Views.Item> withTag(RestResponse.ResponseBuilder<Views.Item> builder, SupervisionItem item) {
        return builder.header(HttpHeaders.ETAG, items.etag(item)).build();
    }
}
