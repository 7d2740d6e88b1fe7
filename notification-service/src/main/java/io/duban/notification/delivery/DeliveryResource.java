package io.duban.notification.delivery;

import io.duban.common.paging.Page;
import io.duban.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The delivery log (投递记录): every e-mail, SMS and webhook POST, with its attempts and last error. */
@Path("/api/v1/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliveries", description = "投递记录：邮件、短信、Webhook")
@SecurityRequirement(name = "jwt")
public class DeliveryResource {

    private final DeliveryLog log;

    public DeliveryResource(DeliveryLog log) {
        this.log = log;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR })
    @Operation(summary = "The delivery log (投递记录)",
            description = "Newest first. Each delivery: channel, recipient, status (PENDING, SENT, FAILED, SKIPPED), "
                    + "attempts, next attempt, last error. Paged by an opaque cursor: pass `nextCursor` back as `cursor` "
                    + "with the same filters.")
    public Page<DeliveryView> listDeliveries(
            @QueryParam("channel") Channel channel,
            @QueryParam("status") DeliveryStatus status,
            @QueryParam("recipient") @Parameter(description = "exact e-mail address, phone number or URL") String recipient,
            @QueryParam("itemId") UUID itemId,
            @QueryParam("notificationId") UUID notificationId,
            @QueryParam("eventId") UUID eventId,
            @QueryParam("limit") @Parameter(description = "1..200, default 50") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        return log.list(new DeliveryLog.Filter(channel, status, recipient, itemId, notificationId, eventId), limit, cursor);
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Retry a failed delivery (重新投递)",
            description = "Puts a FAILED delivery back in the queue, due now, with a fresh budget of attempts; the worker "
                    + "sends it on its next tick. Any other status: 409.")
    @APIResponse(responseCode = "200", description = "The delivery, PENDING again")
    public DeliveryView retryDelivery(@PathParam("id") UUID id) {
        return log.retry(id);
    }
}
