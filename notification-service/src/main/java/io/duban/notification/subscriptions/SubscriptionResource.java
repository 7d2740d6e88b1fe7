package io.duban.notification.subscriptions;

import io.duban.common.idempotency.IdempotentPosts;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import jakarta.ws.rs.core.UriInfo;
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

/** Webhook subscriptions of other systems (订阅). */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions", description = "其他系统的事件订阅（Webhook）")
@SecurityRequirement(name = "jwt")
public class SubscriptionResource {

    private final Subscriptions subscriptions;
    private final CurrentCaller caller;
    private final IdempotentPosts idempotent;

    public SubscriptionResource(Subscriptions subscriptions, CurrentCaller caller, IdempotentPosts idempotent) {
        this.subscriptions = subscriptions;
        this.caller = caller;
        this.idempotent = idempotent;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.SERVICE })
    @Operation(summary = "Subscribe a URL to event types (新增订阅)",
            description = "Every applied task-service event of the given types is POSTed to the URL as the event's JSON, "
                    + "signed: `X-Duban-Timestamp` (Unix seconds) and `X-Duban-Signature: sha256=<hex>`, the HMAC-SHA256 "
                    + "with the secret over `<timestamp>.<body>`. Failed POSTs are retried with backoff. "
                    + "The secret is never returned.")
    @APIResponse(responseCode = "201", description = "The new subscription (without its secret)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionView.class)))
    public RestResponse<SubscriptionView> createSubscription(@Valid @NotNull SubscriptionRequest body,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, SubscriptionView.class, () -> {
            SubscriptionView s = subscriptions.create(body, caller.get().username());
            return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, s)
                    .header(HttpHeaders.LOCATION, "/api/v1/subscriptions/" + s.id()).build();
        });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.SERVICE })
    @Operation(summary = "One subscription (订阅详情)", description = "Without its secret. The ETag names its version "
            + "(a stop counts it up); If-None-Match answers 304.")
    @APIResponse(responseCode = "200", description = "The subscription",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version")
    public RestResponse<SubscriptionView> getSubscription(@PathParam("id") UUID id,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Subscriptions.Found f = subscriptions.find(id).orElseThrow(() -> ProblemException.notFound("subscription", id));
        return Etags.answer(f.view(), Etags.of(f.version()), ifNoneMatch);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.SERVICE })
    @Operation(summary = "Stop a subscription (取消订阅)",
            description = "No event is POSTed to it any more, queued ones included. It stays listed with active false, "
                    + "since the delivery log names it. Stopping a stopped subscription answers 204 again.")
    @APIResponse(responseCode = "204", description = "Stopped")
    public RestResponse<Void> stopSubscription(@PathParam("id") UUID id) {
        if (!subscriptions.stop(id)) {
            throw ProblemException.notFound("subscription", id);
        }
        return RestResponse.noContent();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.SERVICE })
    @Operation(summary = "List subscriptions (订阅列表)", description = "Oldest first, stopped ones included (`active`); "
            + "secrets are never shown. Paged by an opaque cursor: pass `nextCursor` back as `cursor`.")
    public Page<SubscriptionView> listSubscriptions(
            @QueryParam("limit") @Parameter(description = "1..200, default 50") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        return subscriptions.list(limit, cursor);
    }
}
