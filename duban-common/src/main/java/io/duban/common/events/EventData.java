package io.duban.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.duban.common.domain.Rating;
import jakarta.annotation.Nullable;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What one event type adds to the envelope ({@link Event}), as a record per type. Sealed, so that the
 * set of types is closed: the schema is generated from these records and a consumer's handling of
 * them can be checked for completeness. Components are required unless marked {@link Nullable}; a
 * null one is left out of the JSON.
 */
public sealed interface EventData {

    /** The type is a property of the record's class, kept in {@link EventType}. */
    @JsonIgnore
    default EventType type() {
        return EventType.of(getClass());
    }

    @JsonClassDescription("交办: the item was dispatched to this unit, which now has to accept it (签收). One event per"
            + " unit. A reassignment (转办) dispatches the assignment to the new unit, with fromUnit and toUnit set.")
    record ItemDispatched(
            @JsonPropertyDescription("On a reassignment: the unit the assignment came from.")
            @Nullable String fromUnit,
            @JsonPropertyDescription("On a reassignment: the unit it went to (the event's unitCode).")
            @Nullable String toUnit) implements EventData {

        /** A dispatch from the office, not a reassignment. */
        public static ItemDispatched first() {
            return new ItemDispatched(null, null);
        }
    }

    @JsonClassDescription("签收: the unit accepted its assignment and is working on it.")
    record AssignmentAccepted() implements EventData {
    }

    @JsonClassDescription("退回: the unit declined the assignment as not its business; the office will reassign it.")
    record AssignmentDeclined(String reason) implements EventData {
    }

    @JsonClassDescription("转办: the office moved this unit's assignment to another unit. Sent for the old assignment;"
            + " the new unit gets ITEM_DISPATCHED.")
    record AssignmentReassigned(String fromUnit, String toUnit) implements EventData {
    }

    @JsonClassDescription("进展反馈: the unit reported progress.")
    record ProgressReported(
            UUID progressId,
            @JsonPropertyDescription("How far along the unit says it is, 0 to 100.")
            Integer percent,
            @JsonPropertyDescription("What the unit needs from others (需协调事项), when it said so.")
            @Nullable String helpNeeded) implements EventData {
    }

    @JsonClassDescription("申请办结: the unit submitted its part, with a summary of what was done.")
    record AssignmentSubmitted(String summary) implements EventData {
    }

    @JsonClassDescription("The lead unit submitted the item, which now waits for the office's review. Follows the lead"
            + " unit's ASSIGNMENT_SUBMITTED.")
    record ItemSubmitted(String summary) implements EventData {
    }

    @JsonClassDescription("退回重办: the office returned the submitted item to the lead unit for rework.")
    record ItemReturned(String reason) implements EventData {
    }

    @JsonClassDescription("办结: the office approved the item. One event per unit.")
    record ItemCompleted(
            Rating rating,
            @JsonPropertyDescription("Whether the approval came on or before the item's effective deadline.")
            Boolean onTime) implements EventData {
    }

    @JsonClassDescription("撤销: the item was withdrawn. One event per unit it had been dispatched to, or a single one"
            + " without assignment fields when it never was.")
    record ItemCancelled(String reason) implements EventData {
    }

    @JsonClassDescription("延期申请: the unit asked for a later deadline; the office will approve or reject it.")
    record ExtensionRequested(UUID requestId, LocalDate requestedDeadline, String reason) implements EventData {
    }

    @JsonClassDescription("The office approved the extension: the assignment's deadline (and the item's, when the lead"
            + " unit asked) is now the requested date.")
    record ExtensionApproved(
            UUID requestId,
            @JsonPropertyDescription("The deadline the approved one replaced.")
            LocalDate previousDeadline) implements EventData {
    }

    @JsonClassDescription("The office rejected the extension; the deadline stays.")
    record ExtensionRejected(UUID requestId) implements EventData {
    }

    @JsonClassDescription("The assignment's deadline moved without anyone asking: a working-day deadline recomputed after"
            + " the office imported a new calendar.")
    record DeadlineChanged(LocalDate previousDeadline, Reason reason) implements EventData {

        /** Why a deadline moved by itself. */
        public enum Reason {
            /** The working-day calendar changed (工作日历调整). */
            CALENDAR
        }
    }

    @JsonClassDescription("领导批示: a leader added an instruction. One event per unit working on the item, or a single"
            + " one without assignment fields when none is.")
    record InstructionAdded(UUID instructionId, String content) implements EventData {
    }

    @JsonClassDescription("催办: the office urged the unit.")
    record ItemUrged(
            String message,
            @JsonPropertyDescription("How often this unit has been urged on this item, this time included.")
            Integer urgeCount) implements EventData {
    }

    @JsonClassDescription("The office edited the item after dispatch. One event per unit holding it; the envelope"
            + " carries the new values.")
    record ItemUpdated(
            @JsonPropertyDescription("The item fields that changed, named as in the item resource.")
            List<String> changed) implements EventData {

        public ItemUpdated {
            changed = changed == null ? null : List.copyOf(changed);
        }
    }
}
