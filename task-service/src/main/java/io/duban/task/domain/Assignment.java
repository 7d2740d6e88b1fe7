package io.duban.task.domain;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** One unit's part in an item (主办 or 协办). */
@Entity
@Table(name = "assignment")
public class Assignment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "unit_code")
    public String unitCode;

    @Enumerated(EnumType.STRING)
    public AssignmentRole role;

    @Enumerated(EnumType.STRING)
    public AssignmentStatus status;

    public LocalDate deadline;

    @Column(name = "original_deadline")
    public LocalDate originalDeadline;

    @Column(name = "progress_percent")
    public int progressPercent;

    @Column(name = "last_progress_at")
    public Instant lastProgressAt;

    @Column(name = "urge_count")
    public int urgeCount;

    @Column(name = "decline_reason")
    public String declineReason;

    @Column(name = "reassigned_to")
    public String reassignedTo;

    @Column(name = "reassigned_from")
    public String reassignedFrom;

    /** When the unit received it: at dispatch, or at the reassignment that gave it to the unit. */
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public void apply(AssignmentAction action, Instant at) {
        status = Lifecycle.next(status, action);
        updatedAt = at;
    }

    /** A new assignment of the unit on the item, with the item's deadline (a reassignment then inherits another's). */
    public static Assignment create(SupervisionItem item, String unit, AssignmentRole role, AssignmentStatus status,
            Instant now) {
        Assignment a = new Assignment();
        a.id = UUID.randomUUID();
        a.itemId = item.id;
        a.unitCode = unit;
        a.role = role;
        a.status = status;
        Deadlines.follow(a, item);
        a.createdAt = now;
        a.updatedAt = now;
        a.persist();
        return a;
    }

    public static List<Assignment> ofItem(UUID itemId) {
        return list("itemId = ?1 order by role, createdAt, unitCode", itemId);
    }
}
