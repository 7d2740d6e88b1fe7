package io.duban.notification.tracking;

import io.duban.common.events.Event;
import io.duban.common.time.OfficeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * notification-service's copies of the units' assignments, kept by the event intake alone. Others
 * read them here (the reminder schedule, the deliveries); none writes them.
 */
@ApplicationScoped
public class TrackedAssignments {

    private final ZoneId zone;

    public TrackedAssignments(OfficeConfig office) {
        this.zone = office.zone();
    }

    private TrackedAssignment record(AssignmentCopy row) {
        return row.toRecord(zone);
    }

    /** One unit's assignment on one item. */
    public Optional<TrackedAssignment> find(UUID itemId, String unitCode) {
        return Optional.ofNullable(AssignmentCopy.<AssignmentCopy>findById(new AssignmentCopy.Key(itemId, unitCode)))
                .map(this::record);
    }

    /** Every unit's assignment on the item, by unit code. */
    public List<TrackedAssignment> ofItem(UUID itemId) {
        return AssignmentCopy.<AssignmentCopy>list("itemId = ?1 order by unitCode", itemId).stream()
                .map(this::record).toList();
    }

    /** Every assignment the unit holds or held, by item id. */
    public List<TrackedAssignment> ofUnit(String unitCode) {
        return AssignmentCopy.<AssignmentCopy>list("unitCode = ?1 order by itemId", unitCode).stream()
                .map(this::record).toList();
    }

    /**
     * Applies the event to the unit's copy and to the item's fields on the other units' copies (an
     * event about one unit still says what the item is now); returns the unit's copy before and after.
     * Called by the intake, in the transaction that records the event as applied.
     */
    public Change apply(Event event, Instant now) {
        AssignmentCopy.update("itemNumber = ?1, title = ?2, priority = ?3, itemStatus = ?4, itemDeadline = ?5,"
                + " updatedAt = ?6 where itemId = ?7 and unitCode <> ?8", event.itemNumber(), event.title(),
                event.priority(), event.itemStatus(), event.itemDeadline(), now, event.itemId(),
                event.unitCode() == null ? "" : event.unitCode());
        if (event.unitCode() == null) {
            return new Change(null, null);
        }
        AssignmentCopy row = AssignmentCopy.findById(new AssignmentCopy.Key(event.itemId(), event.unitCode()));
        TrackedAssignment before = row == null ? null : record(row);
        TrackedAssignment after = AssignmentCopies.after(before, event);
        if (row == null) {
            row = new AssignmentCopy();
            row.copy(after);
            row.lastEventId = event.eventId();
            row.updatedAt = now;
            row.persist();
        } else {
            row.copy(after);
            row.lastEventId = event.eventId();
            row.updatedAt = now;
        }
        // As find() will return it, so that an observer compares like with like.
        return new Change(before, record(row));
    }

    /** A unit's copy before and after one event; both null for an event about the item alone. */
    public record Change(TrackedAssignment before, TrackedAssignment after) {
    }
}
