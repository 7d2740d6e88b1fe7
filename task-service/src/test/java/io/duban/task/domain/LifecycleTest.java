package io.duban.task.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every (state, action) pair of both state machines, against a table written out here by hand
 * from SPEC.md: allowed pairs land in the expected state, all others are refused.
 */
class LifecycleTest {

    /** "STATE ACTION" → target state; a pair that is not here must be refused. */
    private static final Map<String, String> ITEM = table("""
            DRAFT EDIT DRAFT
            DRAFT DISPATCH ACTIVE
            DRAFT INSTRUCT DRAFT
            DRAFT CANCEL CANCELLED
            ACTIVE EDIT ACTIVE
            ACTIVE WORK ACTIVE
            ACTIVE URGE ACTIVE
            ACTIVE INSTRUCT ACTIVE
            ACTIVE SUBMIT PENDING_REVIEW
            ACTIVE CANCEL CANCELLED
            PENDING_REVIEW EDIT PENDING_REVIEW
            PENDING_REVIEW INSTRUCT PENDING_REVIEW
            PENDING_REVIEW APPROVE COMPLETED
            PENDING_REVIEW RETURN ACTIVE
            PENDING_REVIEW CANCEL CANCELLED
            """);

    private static final Map<String, String> ASSIGNMENT = table("""
            PLANNED DISPATCH PENDING_ACCEPTANCE
            PLANNED CANCEL CANCELLED
            PENDING_ACCEPTANCE ACCEPT IN_PROGRESS
            PENDING_ACCEPTANCE DECLINE DECLINED
            PENDING_ACCEPTANCE REASSIGN REASSIGNED
            PENDING_ACCEPTANCE URGE PENDING_ACCEPTANCE
            PENDING_ACCEPTANCE CANCEL CANCELLED
            IN_PROGRESS REPORT_PROGRESS IN_PROGRESS
            IN_PROGRESS REQUEST_EXTENSION IN_PROGRESS
            IN_PROGRESS URGE IN_PROGRESS
            IN_PROGRESS SUBMIT SUBMITTED
            IN_PROGRESS REASSIGN REASSIGNED
            IN_PROGRESS CANCEL CANCELLED
            SUBMITTED RETURN IN_PROGRESS
            SUBMITTED COMPLETE DONE
            SUBMITTED CANCEL CANCELLED
            DECLINED REASSIGN REASSIGNED
            DECLINED CANCEL CANCELLED
            """);

    private static Map<String, String> table(String rows) {
        return rows.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split(" "))
                .collect(Collectors.toMap(p -> p[0] + " " + p[1], p -> p[2]));
    }

    @Test
    void everyItemTransitionIsAllowedOrRefusedAsSpecified() {
        int allowed = 0;
        for (ItemStatus s : ItemStatus.values()) {
            for (ItemAction a : ItemAction.values()) {
                String expected = ITEM.get(s + " " + a);
                if (expected == null) {
                    TransitionRefusedException e = assertThrows(TransitionRefusedException.class,
                            () -> Lifecycle.next(s, a), s + " " + a);
                    assertEquals(s.name(), e.state());
                    assertEquals(a.name(), e.action());
                } else {
                    assertEquals(ItemStatus.valueOf(expected), Lifecycle.next(s, a), s + " " + a);
                    allowed++;
                }
            }
        }
        assertEquals(ITEM.size(), allowed);
    }

    @Test
    void everyAssignmentTransitionIsAllowedOrRefusedAsSpecified() {
        int allowed = 0;
        for (AssignmentStatus s : AssignmentStatus.values()) {
            for (AssignmentAction a : AssignmentAction.values()) {
                String expected = ASSIGNMENT.get(s + " " + a);
                if (expected == null) {
                    assertThrows(TransitionRefusedException.class, () -> Lifecycle.next(s, a), s + " " + a);
                } else {
                    assertEquals(AssignmentStatus.valueOf(expected), Lifecycle.next(s, a), s + " " + a);
                    allowed++;
                }
            }
        }
        assertEquals(ASSIGNMENT.size(), allowed);
    }

    @Test
    void finishedItemsAndAssignmentsAcceptNothing() {
        Stream.of(ItemStatus.COMPLETED, ItemStatus.CANCELLED).forEach(s -> {
            for (ItemAction a : ItemAction.values()) {
                assertEquals(false, Lifecycle.allows(s, a), s + " " + a);
            }
        });
        Stream.of(AssignmentStatus.DONE, AssignmentStatus.REASSIGNED, AssignmentStatus.CANCELLED).forEach(s -> {
            for (AssignmentAction a : AssignmentAction.values()) {
                assertEquals(false, Lifecycle.allows(s, a), s + " " + a);
            }
        });
    }

    @Test
    void applyingARefusedActionLeavesTheItemUnchanged() {
        SupervisionItem item = new SupervisionItem();
        item.status = ItemStatus.DRAFT;
        assertThrows(TransitionRefusedException.class, () -> item.apply(ItemAction.APPROVE, java.time.Instant.now()));
        assertEquals(ItemStatus.DRAFT, item.status);
        assertEquals(null, item.updatedAt);
    }
}
