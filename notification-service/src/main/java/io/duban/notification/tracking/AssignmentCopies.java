package io.duban.notification.tracking;

import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.EventType;
import jakarta.annotation.Nullable;
import java.time.OffsetDateTime;

/**
 * How one event changes a unit's copy of its assignment: a pure function, so that every event type is
 * checked without a database. The envelope carries the item and the assignment as they are after the
 * change; the copy adds what only the history of events tells (when the unit got the assignment, when
 * it accepted, when it last reported progress, how often it was urged).
 */
public final class AssignmentCopies {

    private AssignmentCopies() {
    }

    /**
     * The copy after the event, or null for an event about the item alone (no assignment fields).
     *
     * <p>An assignment starts afresh on ITEM_DISPATCHED (a first dispatch, or the unit receiving a
     * reassigned one). An event for an assignment this service never saw dispatched (its history began
     * before this service did) starts a copy too, with the event's time as the dispatch time and the
     * acceptance and progress times unknown.
     */
    @Nullable
    public static TrackedAssignment after(@Nullable TrackedAssignment before, Event event) {
        if (event.unitCode() == null) {
            return null;
        }
        OffsetDateTime at = event.occurredAt();
        boolean fresh = before == null || event.type() == EventType.ITEM_DISPATCHED;
        OffsetDateTime dispatchedAt = fresh ? at : before.dispatchedAt();
        OffsetDateTime acceptedAt = fresh ? null : before.acceptedAt();
        OffsetDateTime lastProgressAt = fresh ? null : before.lastProgressAt();
        int urgeCount = fresh ? 0 : before.urgeCount();
        EventData data = event.data();
        if (data instanceof EventData.AssignmentAccepted) {
            acceptedAt = at;
        } else if (data instanceof EventData.ProgressReported) {
            lastProgressAt = at;
        } else if (data instanceof EventData.ItemUrged urged) {
            urgeCount = urged.urgeCount();
        }
        return new TrackedAssignment(event.itemId(), event.itemNumber(), event.title(), event.priority(),
                event.itemStatus(), event.itemDeadline(), event.unitCode(), event.role(), event.status(),
                event.deadline(), event.feedbackCycle(), dispatchedAt, acceptedAt, lastProgressAt, urgeCount);
    }
}
