package io.duban.notification.tracking;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

/** The row behind a {@link TrackedAssignment}; only {@link TrackedAssignments} touches it. */
@Entity
@Table(name = "tracked_assignment")
@IdClass(AssignmentCopy.Key.class)
class AssignmentCopy extends PanacheEntityBase {

    @Id
    @Column(name = "item_id")
    public UUID itemId;

    @Id
    @Column(name = "unit_code")
    public String unitCode;

    @Column(name = "item_number")
    public String itemNumber;

    public String title;

    @Enumerated(EnumType.STRING)
    public Priority priority;

    @Enumerated(EnumType.STRING)
    @Column(name = "item_status")
    public ItemStatus itemStatus;

    @Column(name = "item_deadline")
    public java.time.LocalDate itemDeadline;

    @Enumerated(EnumType.STRING)
    public AssignmentRole role;

    @Enumerated(EnumType.STRING)
    public AssignmentStatus status;

    public java.time.LocalDate deadline;

    @Enumerated(EnumType.STRING)
    @Column(name = "feedback_cycle")
    public FeedbackCycle feedbackCycle;

    @Column(name = "dispatched_at")
    public OffsetDateTime dispatchedAt;

    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;

    @Column(name = "last_progress_at")
    public OffsetDateTime lastProgressAt;

    @Column(name = "urge_count")
    public int urgeCount;

    @Column(name = "last_event_id")
    public UUID lastEventId;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** As a record, its times in the office's zone (as the events carry them), whatever the database returns. */
    TrackedAssignment toRecord(ZoneId zone) {
        return new TrackedAssignment(itemId, itemNumber, title, priority, itemStatus, itemDeadline, unitCode, role,
                status, deadline, feedbackCycle, inZone(dispatchedAt, zone), inZone(acceptedAt, zone),
                inZone(lastProgressAt, zone), urgeCount);
    }

    private static OffsetDateTime inZone(OffsetDateTime t, ZoneId zone) {
        return t == null ? null : t.atZoneSameInstant(zone).toOffsetDateTime();
    }

    void copy(TrackedAssignment a) {
        itemId = a.itemId();
        unitCode = a.unitCode();
        itemNumber = a.itemNumber();
        title = a.title();
        priority = a.priority();
        itemStatus = a.itemStatus();
        itemDeadline = a.itemDeadline();
        role = a.role();
        status = a.status();
        deadline = a.deadline();
        feedbackCycle = a.feedbackCycle();
        dispatchedAt = a.dispatchedAt();
        acceptedAt = a.acceptedAt();
        lastProgressAt = a.lastProgressAt();
        urgeCount = a.urgeCount();
    }

    /** The composite key: one copy per unit and item. */
    public static class Key implements Serializable {

        public UUID itemId;
        public String unitCode;

        public Key() {
        }

        Key(UUID itemId, String unitCode) {
            this.itemId = itemId;
            this.unitCode = unitCode;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(itemId, k.itemId) && Objects.equals(unitCode, k.unitCode);
        }

        @Override
        public int hashCode() {
            return Objects.hash(itemId, unitCode);
        }
    }
}
