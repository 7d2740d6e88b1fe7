package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A unit's progress report (进展反馈). */
@Entity
@Table(name = "progress_report")
public class ProgressReport extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "assignment_id")
    public UUID assignmentId;

    @Column(name = "unit_code")
    public String unitCode;

    public String content;

    public int percent;

    @Column(name = "next_steps")
    public String nextSteps;

    @Column(name = "help_needed")
    public String helpNeeded;

    @Column(name = "reported_by")
    public String reportedBy;

    @Column(name = "reported_at")
    public Instant reportedAt;
}
