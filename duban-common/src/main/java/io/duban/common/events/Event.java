package io.duban.common.events;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import jakarta.annotation.Nullable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One event as task-service publishes it: the envelope every type shares, enough of the item and of
 * the unit's assignment for a consumer to keep its own copy without calling back, and the type's own
 * {@link EventData}. The JSON field {@code type} is written and read with {@code data}, whose record
 * it names; {@link #type()} therefore comes from the data and cannot disagree with it.
 *
 * <p>The assignment fields are present together or not at all: absent only for an event about the
 * item alone, which {@link EventType.Scope#ITEM_OR_ASSIGNMENT} types may be.
 */
public record Event(
        @JsonPropertyDescription("The version of this contract the event follows; consumers refuse one they do not know.")
        int schemaVersion,
        @JsonPropertyDescription("Unique per event; consumers deduplicate by it (delivery is at least once).")
        UUID eventId,
        @JsonPropertyDescription("When the change happened, in the office's time zone.")
        OffsetDateTime occurredAt,
        @JsonPropertyDescription("Username of who made the change.")
        String actor,
        UUID itemId,
        @JsonPropertyDescription("The item's number, such as DB-2026-0042.")
        String itemNumber,
        String title,
        Priority priority,
        @JsonPropertyDescription("The item's status after the change.")
        ItemStatus itemStatus,
        @JsonPropertyDescription("The item's effective deadline after the change.")
        LocalDate itemDeadline,
        @JsonPropertyDescription("The unit whose assignment the event concerns.")
        @Nullable String unitCode,
        @Nullable AssignmentRole role,
        @JsonPropertyDescription("The assignment's status after the change.")
        @Nullable AssignmentStatus status,
        @JsonPropertyDescription("The assignment's effective deadline after the change.")
        @Nullable LocalDate deadline,
        @JsonPropertyDescription("How often the unit must report progress on the item.")
        @Nullable FeedbackCycle feedbackCycle,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        EventData data) {

    /** The fields about the unit's assignment, in the JSON: present together or not at all. */
    public static final List<String> ASSIGNMENT_FIELDS = List.of("unitCode", "role", "status", "deadline",
            "feedbackCycle");

    public Event {
        Events.requireSupported(schemaVersion);
        if (data == null) {
            throw new EventFormatException("an event needs its data");
        }
        long present = Stream.of(unitCode, role, status, deadline, feedbackCycle).filter(Objects::nonNull).count();
        if (present != 0 && present != ASSIGNMENT_FIELDS.size()) {
            throw new EventFormatException(data.type() + ": " + String.join(", ", ASSIGNMENT_FIELDS)
                    + " come together or not at all");
        }
        if (present == 0 && data.type().scope() == EventType.Scope.ASSIGNMENT) {
            throw new EventFormatException(data.type() + " concerns an assignment: " + String.join(", ",
                    ASSIGNMENT_FIELDS) + " are required");
        }
    }

    public EventType type() {
        return data.type();
    }
}
