package io.duban.notification.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.events.Event;
import io.duban.common.events.EventFormatException;
import io.duban.common.events.Events;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where task-service's outbox relay delivers its events (at least once, in order per item). */
@Path("/api/v1/events")
@Tag(name = "Events", description = "接收督办系统（task-service）的事件")
@SecurityRequirement(name = "jwt")
public class EventsResource {

    /** Only to tell JSON from not-JSON and read the version; the event itself is read by the shared codec. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventIntake intake;

    public EventsResource(EventIntake intake) {
        this.intake = intake;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Apply one event of task-service (service token)",
            description = "Idempotent by eventId: the first delivery applies the event (applied: true), a redelivery "
                    + "answers 200 with applied: false and changes nothing. The body is an event of the published "
                    + "contract, the JSON Schema " + Events.SCHEMA_ID + " (duban-common " + Events.SCHEMA_RESOURCE
                    + "). Not JSON: 400. A schemaVersion other than " + Events.SCHEMA_VERSION
                    + ": 422 event-unknown-version. Anything else the contract does not allow: 422 event-invalid.")
    @APIResponse(responseCode = "200", description = "Applied now, or already applied before")
    public EventReceipt postEvent(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, description = "An event, as the JSON Schema " + Events.SCHEMA_ID
                    + " defines it"))) String body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-json");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ProblemException(400, "malformed-json");
        }
        JsonNode version = tree.path("schemaVersion");
        if (version.isIntegralNumber() && version.asLong() != Events.SCHEMA_VERSION) {
            throw new ProblemException(422, "event-unknown-version", version.asText(), Events.SCHEMA_VERSION);
        }
        Event event;
        try {
            event = Events.read(tree);
        } catch (EventFormatException e) {
            throw new ProblemException(422, "event-invalid", e.getMessage());
        }
        return intake.apply(event);
    }
}
