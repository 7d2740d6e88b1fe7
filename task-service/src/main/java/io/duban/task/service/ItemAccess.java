package io.duban.task.service;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.common.web.Etags;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.UnitItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

/**
 * Who may see which item: the one home of the visibility rule. The office, leaders and services
 * see every item. A unit sees an item once an assignment has been dispatched to it (never a draft's
 * plan), and keeps seeing it, completed or cancelled, unless that assignment was moved to another
 * unit: {@link #seenThrough} in Java; in SQL, {@code unit_item.received} (kept by the V9 triggers),
 * which the item list and {@link #unitSees} read. Anything else answers
 * 404, so that another unit's items cannot even be probed.
 *
 * <p>The feed's change log (V3/V4 triggers) records every assignment ever received
 * ({@code dispatched_at IS NOT NULL}), a wider set, so that a unit hears when one moves away.
 */
@ApplicationScoped
public class ItemAccess {

    /** Whether its unit sees the item through this assignment. */
    public static boolean seenThrough(Assignment a) {
        return a.dispatchedAt != null && a.status != AssignmentStatus.REASSIGNED;
    }

    public SupervisionItem visible(UUID id, Caller caller) {
        return check(SupervisionItem.findById(id), id, caller);
    }

    /** The item, locked for the change about to be made to it (serialises concurrent actions). */
    public SupervisionItem forChange(UUID id, Caller caller, String ifMatch) {
        SupervisionItem item = check(SupervisionItem.findById(id, LockModeType.PESSIMISTIC_WRITE), id, caller);
        Etags.requireMatch(ifMatch, item.version);
        return item;
    }

    /** The item locked for a change the system makes (a calendar import), or null when it is gone. */
    public SupervisionItem lockedBySystem(UUID id) {
        return SupervisionItem.findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    private SupervisionItem check(SupervisionItem item, UUID id, Caller caller) {
        if (item == null || (caller.unitScoped() && !unitSees(id, caller.unitCode()))) {
            throw ProblemException.notFound("item", id);
        }
        return item;
    }

    /** One primary-key read of unit_item. */
    public boolean unitSees(UUID itemId, String unitCode) {
        if (unitCode == null) {
            return false;
        }
        UnitItem v = UnitItem.findById(new UnitItem.Key(unitCode, itemId));
        return v != null && v.received;
    }

    /**
     * The unit's assignment on the item, acted on by a handler of that unit. Another unit's
     * assignment answers 404 like an unknown one, whatever other roles the caller's token holds.
     */
    public Assignment ownAssignment(SupervisionItem item, String unitCode, Caller caller) {
        if (!unitCode.equals(caller.unitCode())) {
            throw ProblemException.notFound("assignment", unitCode);
        }
        return heldAssignment(item, unitCode);
    }

    /** The assignment the unit holds on the item (dispatched, not moved away or withdrawn), or 404. */
    public Assignment heldAssignment(SupervisionItem item, String unitCode) {
        return Assignment.<Assignment>list("itemId = ?1 and unitCode = ?2", item.id, unitCode).stream()
                .filter(a -> a.status.isHeld()).findFirst()
                .orElseThrow(() -> ProblemException.notFound("assignment", unitCode));
    }
}
