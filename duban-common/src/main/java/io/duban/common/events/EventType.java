package io.duban.common.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event types of SPEC.md. Each names the record that carries its data, so that the codec, the
 * schema and the producers find one from the other in this one place, and says whether the event may
 * concern the item alone.
 */
public enum EventType {
    ITEM_DISPATCHED(EventData.ItemDispatched.class, Scope.ASSIGNMENT),
    ASSIGNMENT_ACCEPTED(EventData.AssignmentAccepted.class, Scope.ASSIGNMENT),
    ASSIGNMENT_DECLINED(EventData.AssignmentDeclined.class, Scope.ASSIGNMENT),
    ASSIGNMENT_REASSIGNED(EventData.AssignmentReassigned.class, Scope.ASSIGNMENT),
    PROGRESS_REPORTED(EventData.ProgressReported.class, Scope.ASSIGNMENT),
    ASSIGNMENT_SUBMITTED(EventData.AssignmentSubmitted.class, Scope.ASSIGNMENT),
    ITEM_SUBMITTED(EventData.ItemSubmitted.class, Scope.ASSIGNMENT),
    ITEM_RETURNED(EventData.ItemReturned.class, Scope.ASSIGNMENT),
    ITEM_COMPLETED(EventData.ItemCompleted.class, Scope.ASSIGNMENT),
    ITEM_CANCELLED(EventData.ItemCancelled.class, Scope.ITEM_OR_ASSIGNMENT),
    EXTENSION_REQUESTED(EventData.ExtensionRequested.class, Scope.ASSIGNMENT),
    EXTENSION_APPROVED(EventData.ExtensionApproved.class, Scope.ASSIGNMENT),
    EXTENSION_REJECTED(EventData.ExtensionRejected.class, Scope.ASSIGNMENT),
    DEADLINE_CHANGED(EventData.DeadlineChanged.class, Scope.ASSIGNMENT),
    INSTRUCTION_ADDED(EventData.InstructionAdded.class, Scope.ITEM_OR_ASSIGNMENT),
    ITEM_URGED(EventData.ItemUrged.class, Scope.ASSIGNMENT),
    ITEM_UPDATED(EventData.ItemUpdated.class, Scope.ASSIGNMENT);

    /** What an event of the type is about, and so which envelope fields it always carries. */
    public enum Scope {
        /** Always one unit's assignment: unitCode, role, status, deadline and feedbackCycle are present. */
        ASSIGNMENT,
        /**
         * One event per assignment concerned, or a single one about the item when no unit has it yet
         * (a draft cancelled, an instruction before any unit works on the item): then the assignment
         * fields are absent together.
         */
        ITEM_OR_ASSIGNMENT
    }

    private static final Map<Class<? extends EventData>, EventType> BY_DATA = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::dataType, Function.identity()));

    private final Class<? extends EventData> dataType;
    private final Scope scope;

    EventType(Class<? extends EventData> dataType, Scope scope) {
        this.dataType = dataType;
        this.scope = scope;
    }

    /** The record that holds this type's data. */
    public Class<? extends EventData> dataType() {
        return dataType;
    }

    public Scope scope() {
        return scope;
    }

    /** The type whose data the record is. */
    public static EventType of(Class<? extends EventData> dataType) {
        EventType type = BY_DATA.get(dataType);
        if (type == null) {
            throw new IllegalArgumentException("no event type has data " + dataType.getName());
        }
        return type;
    }
}
