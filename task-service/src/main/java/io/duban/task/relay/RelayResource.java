package io.duban.task.relay;

import io.duban.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The relay's lag, for administrators and monitoring (a service token). */
@Path("/api/v1/relay")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Relay", description = "事件发件箱转发状态")
@SecurityRequirement(name = "jwt")
public class RelayResource {

    private final OutboxRelay relay;

    public RelayResource(OutboxRelay relay) {
        this.relay = relay;
    }

    @GET
    @Path("/status")
    @RolesAllowed({ Roles.ADMIN, Roles.SERVICE })
    @Operation(summary = "How far the event relay to notification-service is behind",
            description = "pending and lagSeconds (age of the oldest undelivered event) cover every instance on the "
                    + "database; lastError and nextAttemptAt describe the most recent failure of a waiting event.")
    public RelayStatus getRelayStatus() {
        return relay.status();
    }
}
