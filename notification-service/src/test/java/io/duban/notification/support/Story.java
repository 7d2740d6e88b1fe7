package io.duban.notification.support;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.Rating;
import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.Events;
import io.duban.notification.tracking.TrackedAssignment;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One unit's assignment on one item, told as task-service would tell it: each step builds the event
 * task-service sends (envelope, assignment fields, the type's data) and the intake's before/after
 * copies, and applies it through {@link Intake}.
 */
public final class Story {

    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final Intake intake;
    private final Clock clock;
    private TrackedAssignment current;

    private Story(Intake intake, Clock clock, TrackedAssignment current) {
        this.intake = intake;
        this.clock = clock;
        this.current = current;
    }

    /** A unit code of its own for a test, so that its inbox holds only what the test made. */
    public static String freshUnit(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    /** ITEM_DISPATCHED to the unit now, due on the deadline. */
    public static Story dispatched(Intake intake, Clock clock, String unit, LocalDate deadline) {
        return dispatched(intake, clock, unit, deadline, FeedbackCycle.NONE);
    }

    public static Story dispatched(Intake intake, Clock clock, String unit, LocalDate deadline, FeedbackCycle cycle) {
        OffsetDateTime now = OffsetDateTime.now(clock).atZoneSameInstant(ZONE).toOffsetDateTime();
        int n = NUMBERS.incrementAndGet();
        TrackedAssignment a = new TrackedAssignment(UUID.randomUUID(), "DB-2026-" + String.format("%04d", 9000 + n % 1000),
                "关于推进老旧小区改造工作的批示（" + n + "）", Priority.NORMAL, ItemStatus.ACTIVE, deadline, unit,
                AssignmentRole.LEAD, AssignmentStatus.PENDING_ACCEPTANCE, deadline, cycle, now, null, null, 0);
        Story s = new Story(intake, clock, a);
        s.apply(EventData.ItemDispatched.first(), null, a);
        return s;
    }

    public TrackedAssignment assignment() {
        return current;
    }

    public UUID itemId() {
        return current.itemId();
    }

    public String unit() {
        return current.unitCode();
    }

    public Story accepted() {
        return step(new EventData.AssignmentAccepted(), with(ItemStatus.ACTIVE, AssignmentStatus.IN_PROGRESS,
                current.deadline(), now(), current.lastProgressAt(), current.urgeCount()));
    }

    public Story progressReported() {
        return step(new EventData.ProgressReported(UUID.randomUUID(), 50, null), with(current.itemStatus(),
                current.status(), current.deadline(), current.acceptedAt(), now(), current.urgeCount()));
    }

    public Story completed() {
        return step(new EventData.ItemCompleted(Rating.GOOD, true), with(ItemStatus.COMPLETED, AssignmentStatus.DONE,
                current.deadline(), current.acceptedAt(), current.lastProgressAt(), current.urgeCount()));
    }

    public Story cancelled() {
        return step(new EventData.ItemCancelled("立项有误"), with(ItemStatus.CANCELLED, AssignmentStatus.CANCELLED,
                current.deadline(), current.acceptedAt(), current.lastProgressAt(), current.urgeCount()));
    }

    public Story declined() {
        return step(new EventData.AssignmentDeclined("不属于本单位职责"), with(current.itemStatus(),
                AssignmentStatus.DECLINED, current.deadline(), current.acceptedAt(), current.lastProgressAt(),
                current.urgeCount()));
    }

    public Story extensionApproved(LocalDate newDeadline) {
        LocalDate previous = current.deadline();
        return step(new EventData.ExtensionApproved(UUID.randomUUID(), previous), with(current.itemStatus(),
                current.status(), newDeadline, current.acceptedAt(), current.lastProgressAt(), current.urgeCount()));
    }

    public Story deadlineRecomputed(LocalDate newDeadline) {
        LocalDate previous = current.deadline();
        return step(new EventData.DeadlineChanged(previous, EventData.DeadlineChanged.Reason.CALENDAR),
                with(current.itemStatus(), current.status(), newDeadline, current.acceptedAt(),
                        current.lastProgressAt(), current.urgeCount()));
    }

    public Story updated() {
        return step(new EventData.ItemUpdated(java.util.List.of("title")), current);
    }

    /** ITEM_URGED; returns the event id. */
    public UUID urged(String message) {
        int count = current.urgeCount() + 1;
        TrackedAssignment after = with(current.itemStatus(), current.status(), current.deadline(), current.acceptedAt(),
                current.lastProgressAt(), count);
        Event e = event(new EventData.ItemUrged(message, count), after);
        intake.apply(e, current, after);
        current = after;
        return e.eventId();
    }

    private Story step(EventData data, TrackedAssignment after) {
        apply(data, current, after);
        current = after;
        return this;
    }

    private void apply(EventData data, TrackedAssignment before, TrackedAssignment after) {
        intake.apply(event(data, after), before, after);
    }

    private Event event(EventData data, TrackedAssignment a) {
        return new Event(Events.SCHEMA_VERSION, UUID.randomUUID(), now(), "duchashi", a.itemId(), a.itemNumber(),
                a.title(), a.priority(), a.itemStatus(), a.itemDeadline(), a.unitCode(), a.role(), a.status(),
                a.deadline(), a.feedbackCycle(), data);
    }

    private TrackedAssignment with(ItemStatus itemStatus, AssignmentStatus status, LocalDate deadline,
            OffsetDateTime acceptedAt, OffsetDateTime lastProgressAt, int urges) {
        TrackedAssignment c = current;
        return new TrackedAssignment(c.itemId(), c.itemNumber(), c.title(), c.priority(), itemStatus, deadline,
                c.unitCode(), c.role(), status, deadline, c.feedbackCycle(), c.dispatchedAt(), acceptedAt,
                lastProgressAt, urges);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).atZoneSameInstant(ZONE).toOffsetDateTime();
    }
}
