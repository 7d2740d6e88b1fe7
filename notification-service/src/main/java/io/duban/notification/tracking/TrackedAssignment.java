package io.duban.notification.tracking;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import jakarta.annotation.Nullable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * notification-service's own copy of one unit's assignment on one item, kept from task-service's
 * events (never read from task-service's tables). The event intake keeps it; the reminder schedule
 * and the deliveries read it.
 *
 * @param dispatchedAt when the assignment reached the unit (ITEM_DISPATCHED), the start of the
 *        "not accepted within N working days" rule
 * @param acceptedAt when the unit accepted (签收), null before
 * @param lastProgressAt the unit's last progress report, null before the first
 * @param urgeCount how often the office urged this unit on this item
 */
public record TrackedAssignment(
        UUID itemId,
        String itemNumber,
        String title,
        Priority priority,
        ItemStatus itemStatus,
        LocalDate itemDeadline,
        String unitCode,
        AssignmentRole role,
        AssignmentStatus status,
        LocalDate deadline,
        FeedbackCycle feedbackCycle,
        OffsetDateTime dispatchedAt,
        @Nullable OffsetDateTime acceptedAt,
        @Nullable OffsetDateTime lastProgressAt,
        int urgeCount) {
}
