package io.duban.notification.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.notification.events.SampleEvents;
import org.junit.jupiter.api.Test;

/** How each kind of event changes a unit's copy of its assignment. */
class AssignmentCopiesTest {

    private final SampleEvents item = new SampleEvents();

    @Test
    void aDispatchStartsTheCopyAndLaterEventsKeepItsHistory() {
        Event dispatched = item.dispatched("FGW");
        TrackedAssignment a = AssignmentCopies.after(null, dispatched);
        assertEquals(dispatched.occurredAt(), a.dispatchedAt());
        assertNull(a.acceptedAt());
        assertEquals(AssignmentStatus.PENDING_ACCEPTANCE, a.status());

        Event accepted = item.accepted("FGW");
        TrackedAssignment b = AssignmentCopies.after(a, accepted);
        assertEquals(dispatched.occurredAt(), b.dispatchedAt(), "the dispatch time stays");
        assertEquals(accepted.occurredAt(), b.acceptedAt());
        assertEquals(AssignmentStatus.IN_PROGRESS, b.status());

        Event progress = item.progress("FGW");
        TrackedAssignment c = AssignmentCopies.after(b, progress);
        assertEquals(progress.occurredAt(), c.lastProgressAt());
        assertEquals(accepted.occurredAt(), c.acceptedAt());

        TrackedAssignment d = AssignmentCopies.after(c, item.urged("FGW", 2));
        assertEquals(2, d.urgeCount());
        assertEquals(progress.occurredAt(), d.lastProgressAt());

        TrackedAssignment e = AssignmentCopies.after(d, item.completed("FGW"));
        assertEquals(AssignmentStatus.DONE, e.status());
        assertEquals(ItemStatus.COMPLETED, e.itemStatus());
        assertEquals(2, e.urgeCount(), "completion keeps the urge count");
    }

    @Test
    void aUnitThatReceivesTheAssignmentAgainStartsAfresh() {
        TrackedAssignment old = AssignmentCopies.after(AssignmentCopies.after(null, item.dispatched("ZJJ")),
                item.accepted("ZJJ"));
        Event again = item.event("ZJJ", AssignmentRole.ASSIST, ItemStatus.ACTIVE, AssignmentStatus.PENDING_ACCEPTANCE,
                new EventData.ItemDispatched("JTJ", "ZJJ"));
        TrackedAssignment fresh = AssignmentCopies.after(old, again);
        assertEquals(again.occurredAt(), fresh.dispatchedAt());
        assertNull(fresh.acceptedAt());
        assertEquals(AssignmentRole.ASSIST, fresh.role());
    }

    @Test
    void anEventForAnAssignmentNeverSeenStartsACopyAtItsTime() {
        Event progress = item.progress("SWJ");
        TrackedAssignment a = AssignmentCopies.after(null, progress);
        assertEquals(progress.occurredAt(), a.dispatchedAt());
        assertEquals(progress.occurredAt(), a.lastProgressAt());
    }

    @Test
    void anEventAboutTheItemAloneHasNoCopy() {
        assertNull(AssignmentCopies.after(null, item.cancelledDraft()));
    }
}
