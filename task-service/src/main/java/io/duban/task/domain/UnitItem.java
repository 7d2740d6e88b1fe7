package io.duban.task.domain;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
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
import java.time.LocalDate;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * A unit's standing on an item, with the item's sort keys beside it: written only by the database
 * (V9 triggers on assignment and supervision_item), read to page through one unit's items by index.
 * `received` is the visibility rule in SQL (see ItemAccess.seenThrough).
 */
@Entity
@Immutable
@Table(name = "unit_item")
@IdClass(UnitItem.Key.class)
public class UnitItem extends PanacheEntityBase {

    @Id
    @Column(name = "unit_code")
    public String unitCode;

    @Id
    @Column(name = "item_id")
    public UUID itemId;

    public boolean received;

    @Enumerated(EnumType.STRING)
    @Column(name = "assignment_status")
    public AssignmentStatus assignmentStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "item_status")
    public ItemStatus itemStatus;

    public LocalDate deadline;

    @Column(name = "created_at")
    public Instant createdAt;

    public String number;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public record Key(String unitCode, UUID itemId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
