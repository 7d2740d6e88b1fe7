package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A unit's request for a later deadline (延期申请). */
@Entity
@Table(name = "extension_request")
public class ExtensionRequest extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "assignment_id")
    public UUID assignmentId;

    @Column(name = "unit_code")
    public String unitCode;

    @Column(name = "current_deadline")
    public LocalDate currentDeadline;

    @Column(name = "requested_deadline")
    public LocalDate requestedDeadline;

    public String reason;

    @Enumerated(EnumType.STRING)
    public ExtensionStatus status;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decision_comment")
    public String decisionComment;
}
