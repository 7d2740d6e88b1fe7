package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A leader's instruction on an item (领导批示). */
@Entity
@Table(name = "instruction")
public class Instruction extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "item_id")
    public UUID itemId;

    public String content;

    public String leader;

    @Column(name = "created_at")
    public Instant createdAt;
}
