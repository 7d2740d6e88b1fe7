package io.duban.task.service;

import io.duban.task.domain.Assignment;
import io.duban.task.domain.AssignmentStatus;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.problem.ProblemException;
import io.duban.task.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/**
 * Who may see which item. A handler sees an item only through an assignment of their own unit;
 * everything else answers 404, so that another unit's items cannot even be probed.
 */
@ApplicationScoped
public class ItemAccess {

    public SupervisionItem visible(UUID id, Caller caller) {
        return check(SupervisionItem.findById(id), id, caller);
    }

    /** The item, locked for the change about to be made to it (serialises concurrent actions). */
    public SupervisionItem forChange(UUID id, Caller caller, String ifMatch) {
        SupervisionItem item = check(SupervisionItem.findById(id, LockModeType.PESSIMISTIC_WRITE), id, caller);
        Etags.requireMatch(ifMatch, item.version);
        return item;
    }

    private SupervisionItem check(SupervisionItem item, UUID id, Caller caller) {
        if (item == null || (caller.unitScoped() && !unitSees(id, caller.unitCode()))) {
            throw ProblemException.notFound("item", id);
        }
        return item;
    }

    /**
     * A unit sees an item once an assignment has been dispatched to it (never a draft's plan), and
     * keeps seeing it, completed or cancelled, unless the assignment was moved to another unit.
     */
    public boolean unitSees(UUID itemId, String unitCode) {
        return unitCode != null && Assignment.count("itemId = ?1 and unitCode = ?2 and dispatchedAt is not null"
                + " and status <> ?3", itemId, unitCode, AssignmentStatus.REASSIGNED) > 0;
    }

    /**
     * The unit's live assignment on the item, acted on by a handler of that unit. Another unit's
     * assignment answers 404 like an unknown one, whatever other roles the caller's token holds.
     */
    public Assignment ownAssignment(SupervisionItem item, String unitCode, Caller caller) {
        if (!unitCode.equals(caller.unitCode())) {
            throw ProblemException.notFound("assignment", unitCode);
        }
        return liveAssignment(item, unitCode);
    }

    public Assignment liveAssignment(SupervisionItem item, String unitCode) {
        return Assignment.<Assignment>find("itemId = ?1 and unitCode = ?2 and status not in ?3", item.id, unitCode,
                List.of(AssignmentStatus.PLANNED, AssignmentStatus.REASSIGNED, AssignmentStatus.CANCELLED))
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("assignment", unitCode));
    }
}
