package io.duban.task.domain;

import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.Rating;
import io.duban.common.domain.SourceType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A supervision item (督办事项). Every change bumps {@link #version}, the item's ETag. */
@Entity
@Table(name = "supervision_item")
public class SupervisionItem extends PanacheEntityBase {

    @Id
    public UUID id;

    public String number;

    public String title;

    public String description;

    @Enumerated(EnumType.STRING)
    @Column(name = "source_type")
    public SourceType sourceType;

    @Column(name = "source_ref")
    public String sourceRef;

    @Enumerated(EnumType.STRING)
    public Priority priority;

    public String category;

    @Column(name = "responsible_leader")
    public String responsibleLeader;

    /** The effective deadline: the original one, or the lead unit's approved extension. */
    public LocalDate deadline;

    @Column(name = "original_deadline")
    public LocalDate originalDeadline;

    @Enumerated(EnumType.STRING)
    @Column(name = "feedback_cycle")
    public FeedbackCycle feedbackCycle;

    @Enumerated(EnumType.STRING)
    public ItemStatus status;

    @Column(name = "lead_unit_code")
    public String leadUnitCode;

    @Enumerated(EnumType.STRING)
    public Rating rating;

    @Column(name = "completed_on_time")
    public Boolean completedOnTime;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    /** Set when the deadline was given as N working days: the rule that produced the date. */
    @Column(name = "deadline_working_days")
    public Integer deadlineWorkingDays;

    /** False when the deadline was computed across a year with no imported calendar. */
    @Column(name = "deadline_calendar_complete")
    public boolean deadlineCalendarComplete = true;

    /** The calling system's own id (e.g. its OA document id), unique per system. */
    @Column(name = "external_system")
    public String externalSystem;

    @Column(name = "external_ref")
    public String externalRef;

    @Version
    public long version;

    /**
     * The title's bigrams for search, computed by the database (V9); never written from here, and read
     * only by queries (ItemSearch): lazy, so that loading an item does not carry its array along.
     */
    @Basic(fetch = FetchType.LAZY)
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "title_grams", insertable = false, updatable = false)
    public String[] titleGrams;

    /** Moves the item through the lifecycle; refuses what its state does not allow. */
    public void apply(ItemAction action, Instant at) {
        status = Lifecycle.next(status, action);
        updatedAt = at;
    }
}
