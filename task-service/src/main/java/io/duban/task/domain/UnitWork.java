package io.duban.task.domain;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
import io.duban.common.problem.ProblemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What a unit may do on an item now, answered once from the item, all its assignments and their
 * pending extension requests: the lifecycle asks it before acting (and refuses with its answer),
 * the mobile feed asks it to list each row's next actions. Beyond the transition tables of
 * {@link Lifecycle} it holds the two rules that look across assignments: the lead unit submits
 * only after every assist unit has, and an assignment has at most one pending extension request.
 */
public final class UnitWork {

    private final ItemStatus itemStatus;
    private final List<Assignment> assignments;
    private final Set<UUID> pendingExtension;

    UnitWork(ItemStatus itemStatus, List<Assignment> assignments, Set<UUID> pendingExtension) {
        this.itemStatus = itemStatus;
        this.assignments = assignments;
        this.pendingExtension = pendingExtension;
    }

    /** The rules of one item, with two queries. */
    public static UnitWork of(SupervisionItem item) {
        List<Assignment> assignments = Assignment.list("itemId", item.id);
        Set<UUID> pending = new HashSet<>(Assignment.getEntityManager().createQuery(
                "select e.assignmentId from ExtensionRequest e where e.itemId = :item and e.status = :pending",
                UUID.class).setParameter("item", item.id).setParameter("pending", ExtensionStatus.PENDING)
                .getResultList());
        return new UnitWork(item.status, assignments, pending);
    }

    /** Assist units that have not submitted yet, which the lead unit waits for (by code). */
    public List<String> assistsPending() {
        return assignments.stream().filter(a -> a.role == AssignmentRole.ASSIST && a.status.owesSubmission())
                .map(a -> a.unitCode).sorted().toList();
    }

    /** May the unit submit now: its state allows it, and a lead unit has no assist unit to wait for. */
    public boolean maySubmit(Assignment a) {
        return maySubmit(itemStatus, a.status, a.role, !assistsPending().isEmpty());
    }

    /** Refuses a lead unit's submission while assist units have not submitted (409 `assists-pending`). */
    public void checkSubmit(Assignment a) {
        if (Lifecycle.allows(a.status, AssignmentAction.SUBMIT) && !maySubmit(a)) {
            throw ProblemException.conflict("assists-pending", String.join("、", assistsPending()));
        }
    }

    /** Refuses a second pending extension request (409 `extension-pending`); the state is checked by the move. */
    public void checkExtension(Assignment a) {
        Lifecycle.next(a.status, AssignmentAction.REQUEST_EXTENSION);
        if (pendingExtension.contains(a.id)) {
            throw ProblemException.conflict("extension-pending");
        }
    }

    /**
     * What the unit may do next, named by the action's path segment (`/assignments/{unit}/{action}`),
     * from the facts the rules read: the item's state, the assignment's state and role, whether an
     * assist unit of the item still owes its submission ({@link AssignmentStatus#owesSubmission}) and
     * whether the assignment has a pending extension request. The mobile feed reads these facts in
     * its one query; the lifecycle's checks ask the same rules through the instance methods.
     */
    public static List<String> actions(ItemStatus itemStatus, AssignmentStatus status, AssignmentRole role,
            boolean assistsPending, boolean extensionPending) {
        if (!worksOn(itemStatus)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(3);
        if (Lifecycle.allows(status, AssignmentAction.ACCEPT)) {
            out.add("accept");
        }
        if (Lifecycle.allows(status, AssignmentAction.DECLINE)) {
            out.add("decline");
        }
        if (Lifecycle.allows(status, AssignmentAction.REPORT_PROGRESS)) {
            out.add("progress");
        }
        if (maySubmit(itemStatus, status, role, assistsPending)) {
            out.add("submit");
        }
        if (Lifecycle.allows(status, AssignmentAction.REQUEST_EXTENSION) && !extensionPending) {
            out.add("extension-requests");
        }
        return out;
    }

    private static boolean maySubmit(ItemStatus itemStatus, AssignmentStatus status, AssignmentRole role,
            boolean assistsPending) {
        return worksOn(itemStatus) && Lifecycle.allows(status, AssignmentAction.SUBMIT)
                && (role != AssignmentRole.LEAD || !assistsPending);
    }

    /** Unit-level work happens only on a dispatched item that is not under review or closed. */
    private static boolean worksOn(ItemStatus itemStatus) {
        return Lifecycle.allows(itemStatus, ItemAction.WORK);
    }
}
