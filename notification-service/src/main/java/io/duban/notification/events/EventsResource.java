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
import java.util.ArrayList;
import java.util.List;
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

    /** The most events one batch may carry (the relay sends at most duban.relay.batch-size). */
    static final int MAX_BATCH = 1000;

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
        return intake.apply(event(parse(body), ""));
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Apply several events of task-service at once (service token)",
            description = "What task-service's outbox relay sends to save a request and a transaction per event. The "
                    + "body is {\"events\": [{\"traceparent\": \"...\", \"event\": {...}}, ...]}: 1 to " + MAX_BATCH
                    + " elements, each an event of the published contract (as for POST /api/v1/events) and, optionally, "
                    + "the W3C traceparent of its sending (each element is applied in a span of that trace). The events are applied in the order of the list "
                    + "(so an item's events keep their order), each once by eventId exactly as POST /api/v1/events would, "
                    + "all in one transaction: all of them are applied, or, if one fails, none. The answer holds one "
                    + "receipt per element, in order. Not JSON: 400. No events array, an empty one or more than "
                    + MAX_BATCH + " elements: 422 event-batch-invalid. An element that is not an event of the contract: "
                    + "422 event-invalid naming its index (events[i]) or event-unknown-version, and nothing is applied.")
    @APIResponse(responseCode = "200", description = "Every event of the batch applied now, or already applied before")
    public EventBatchReceipt postBatch(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, description = "{\"events\": [{\"traceparent\": \"00-...\", "
                    + "\"event\": <an event of " + Events.SCHEMA_ID + ">}]}"))) String body) {
        JsonNode elements = parse(body).path("events");
        if (!elements.isArray() || elements.isEmpty() || elements.size() > MAX_BATCH) {
            throw new ProblemException(422, "event-batch-invalid", MAX_BATCH);
        }
        List<EventIntake.Traced> events = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            // "traceparent" beside "event" is the element's own trace context (ignored when not text).
            JsonNode traceparent = elements.get(i).path("traceparent");
            events.add(new EventIntake.Traced(event(elements.get(i).path("event"), "events[" + i + "]: "),
                    traceparent.isTextual() ? traceparent.asText() : null));
        }
        return new EventBatchReceipt(intake.applyAll(events));
    }

    private static JsonNode parse(String body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-json");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ProblemException(400, "malformed-json");
        }
        return tree;
    }

    /** The event of the contract the tree is, or 422 (where: which element of a batch, else empty). */
    private static Event event(JsonNode tree, String where) {
        JsonNode version = tree.path("schemaVersion");
        if (version.isIntegralNumber() && version.asLong() != Events.SCHEMA_VERSION) {
            throw new ProblemException(422, "event-unknown-version", version.asText(), Events.SCHEMA_VERSION);
        }
        try {
            return Events.read(tree);
        } catch (EventFormatException e) {
            throw new ProblemException(422, "event-invalid", where + e.getMessage());
        }
    }
}
