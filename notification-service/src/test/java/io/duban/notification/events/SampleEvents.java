package io.duban.notification.events;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.Events;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Events of one item as task-service would write them, one unit's assignment at a time. */
public final class SampleEvents {

    public final UUID itemId = UUID.randomUUID();
    public final String itemNumber = "DB-2026-" + (1000 + (int) (Math.random() * 9000));
    public final LocalDate deadline = LocalDate.of(2026, 10, 9);
    private OffsetDateTime at = OffsetDateTime.of(2026, 9, 28, 9, 0, 0, 0, ZoneOffset.ofHours(8));

    /** An event of the item for the unit, an hour after the previous one. */
    public Event event(String unit, AssignmentRole role, ItemStatus itemStatus, AssignmentStatus status,
            EventData data) {
        at = at.plusHours(1);
        return new Event(Events.SCHEMA_VERSION, UUID.randomUUID(), at, "duchashi-t", itemId, itemNumber,
                "关于推进老旧小区改造工作的批示", Priority.URGENT, itemStatus, deadline, unit, role, status, deadline,
                FeedbackCycle.WEEKLY, data);
    }

    public Event dispatched(String unit) {
        return event(unit, AssignmentRole.LEAD, ItemStatus.ACTIVE, AssignmentStatus.PENDING_ACCEPTANCE,
                EventData.ItemDispatched.first());
    }

    public Event accepted(String unit) {
        return event(unit, AssignmentRole.LEAD, ItemStatus.ACTIVE, AssignmentStatus.IN_PROGRESS,
                new EventData.AssignmentAccepted());
    }

    public Event progress(String unit) {
        return event(unit, AssignmentRole.LEAD, ItemStatus.ACTIVE, AssignmentStatus.IN_PROGRESS,
                new EventData.ProgressReported(UUID.randomUUID(), 40, null));
    }

    public Event urged(String unit, int count) {
        return event(unit, AssignmentRole.LEAD, ItemStatus.ACTIVE, AssignmentStatus.IN_PROGRESS,
                new EventData.ItemUrged("请加快办理。", count));
    }

    public Event completed(String unit) {
        return event(unit, AssignmentRole.LEAD, ItemStatus.COMPLETED, AssignmentStatus.DONE,
                new EventData.ItemCompleted(io.duban.common.domain.Rating.GOOD, true));
    }

    /** An event about the item alone (a draft cancelled before any unit had it). */
    public Event cancelledDraft() {
        at = at.plusHours(1);
        return new Event(Events.SCHEMA_VERSION, UUID.randomUUID(), at, "duchashi-t", itemId, itemNumber,
                "关于推进老旧小区改造工作的批示", Priority.URGENT, ItemStatus.CANCELLED, deadline, null, null, null, null, null,
                new EventData.ItemCancelled("重复立项"));
    }

    public static String json(Event e) {
        return Events.toJson(e);
    }
}
