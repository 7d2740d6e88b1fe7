package io.duban.task.domain;

import static io.duban.common.domain.AssignmentStatus.CANCELLED;
import static io.duban.common.domain.AssignmentStatus.DECLINED;
import static io.duban.common.domain.AssignmentStatus.DONE;
import static io.duban.common.domain.AssignmentStatus.IN_PROGRESS;
import static io.duban.common.domain.AssignmentStatus.PENDING_ACCEPTANCE;
import static io.duban.common.domain.AssignmentStatus.PLANNED;
import static io.duban.common.domain.AssignmentStatus.REASSIGNED;
import static io.duban.common.domain.AssignmentStatus.SUBMITTED;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle of SPEC.md as two transition tables: item and assignment. Plain Java, so that
 * every allowed and refused transition is unit-tested without a container.
 */
public final class Lifecycle {

    private static final Map<ItemStatus, Map<ItemAction, ItemStatus>> ITEM = new EnumMap<>(ItemStatus.class);
    private static final Map<AssignmentStatus, Map<AssignmentAction, AssignmentStatus>> ASSIGNMENT =
            new EnumMap<>(AssignmentStatus.class);

    static {
        item(ItemStatus.DRAFT, ItemAction.EDIT, ItemStatus.DRAFT);
        item(ItemStatus.DRAFT, ItemAction.DISPATCH, ItemStatus.ACTIVE);
        item(ItemStatus.DRAFT, ItemAction.INSTRUCT, ItemStatus.DRAFT);
        item(ItemStatus.DRAFT, ItemAction.CANCEL, ItemStatus.CANCELLED);

        item(ItemStatus.ACTIVE, ItemAction.EDIT, ItemStatus.ACTIVE);
        item(ItemStatus.ACTIVE, ItemAction.WORK, ItemStatus.ACTIVE);
        item(ItemStatus.ACTIVE, ItemAction.URGE, ItemStatus.ACTIVE);
        item(ItemStatus.ACTIVE, ItemAction.INSTRUCT, ItemStatus.ACTIVE);
        item(ItemStatus.ACTIVE, ItemAction.SUBMIT, ItemStatus.PENDING_REVIEW);
        item(ItemStatus.ACTIVE, ItemAction.CANCEL, ItemStatus.CANCELLED);

        item(ItemStatus.PENDING_REVIEW, ItemAction.EDIT, ItemStatus.PENDING_REVIEW);
        item(ItemStatus.PENDING_REVIEW, ItemAction.INSTRUCT, ItemStatus.PENDING_REVIEW);
        item(ItemStatus.PENDING_REVIEW, ItemAction.APPROVE, ItemStatus.COMPLETED);
        item(ItemStatus.PENDING_REVIEW, ItemAction.RETURN, ItemStatus.ACTIVE);
        item(ItemStatus.PENDING_REVIEW, ItemAction.CANCEL, ItemStatus.CANCELLED);

        assignment(PLANNED, AssignmentAction.DISPATCH, PENDING_ACCEPTANCE);
        assignment(PLANNED, AssignmentAction.CANCEL, CANCELLED);

        assignment(PENDING_ACCEPTANCE, AssignmentAction.ACCEPT, IN_PROGRESS);
        assignment(PENDING_ACCEPTANCE, AssignmentAction.DECLINE, DECLINED);
        assignment(PENDING_ACCEPTANCE, AssignmentAction.REASSIGN, REASSIGNED);
        assignment(PENDING_ACCEPTANCE, AssignmentAction.URGE, PENDING_ACCEPTANCE);
        assignment(PENDING_ACCEPTANCE, AssignmentAction.CANCEL, CANCELLED);

        assignment(IN_PROGRESS, AssignmentAction.REPORT_PROGRESS, IN_PROGRESS);
        assignment(IN_PROGRESS, AssignmentAction.REQUEST_EXTENSION, IN_PROGRESS);
        assignment(IN_PROGRESS, AssignmentAction.URGE, IN_PROGRESS);
        assignment(IN_PROGRESS, AssignmentAction.SUBMIT, SUBMITTED);
        assignment(IN_PROGRESS, AssignmentAction.REASSIGN, REASSIGNED);
        assignment(IN_PROGRESS, AssignmentAction.CANCEL, CANCELLED);

        assignment(SUBMITTED, AssignmentAction.RETURN, IN_PROGRESS);
        assignment(SUBMITTED, AssignmentAction.COMPLETE, DONE);
        assignment(SUBMITTED, AssignmentAction.CANCEL, CANCELLED);

        assignment(DECLINED, AssignmentAction.REASSIGN, REASSIGNED);
        assignment(DECLINED, AssignmentAction.CANCEL, CANCELLED);
        // DONE, REASSIGNED and CANCELLED are final.
    }

    private Lifecycle() {
    }

    private static void item(ItemStatus from, ItemAction action, ItemStatus to) {
        ITEM.computeIfAbsent(from, s -> new EnumMap<>(ItemAction.class)).put(action, to);
    }

    private static void assignment(AssignmentStatus from, AssignmentAction action, AssignmentStatus to) {
        ASSIGNMENT.computeIfAbsent(from, s -> new EnumMap<>(AssignmentAction.class)).put(action, to);
    }

    public static Optional<ItemStatus> target(ItemStatus from, ItemAction action) {
        return Optional.ofNullable(ITEM.getOrDefault(from, Map.of()).get(action));
    }

    public static Optional<AssignmentStatus> target(AssignmentStatus from, AssignmentAction action) {
        return Optional.ofNullable(ASSIGNMENT.getOrDefault(from, Map.of()).get(action));
    }

    /** The item's state after the action, or {@link TransitionRefusedException}. */
    public static ItemStatus next(ItemStatus from, ItemAction action) {
        return target(from, action).orElseThrow(() -> new TransitionRefusedException(from, action));
    }

    /** The assignment's state after the action, or {@link TransitionRefusedException}. */
    public static AssignmentStatus next(AssignmentStatus from, AssignmentAction action) {
        return target(from, action).orElseThrow(() -> new TransitionRefusedException(from, action));
    }

    public static boolean allows(ItemStatus from, ItemAction action) {
        return target(from, action).isPresent();
    }

    public static boolean allows(AssignmentStatus from, AssignmentAction action) {
        return target(from, action).isPresent();
    }
}
