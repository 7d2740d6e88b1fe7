package io.duban.notification.inbox;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One notice of the in-app inbox (站内信), as the reader sees it. */
@Schema(name = "Notification")
public record Notice(
        UUID id,
        @Schema(description = "DEADLINE_REMINDER, OVERDUE_REMINDER, ACCEPTANCE_REMINDER, PROGRESS_REMINDER, ESCALATION or URGE")
        String kind,
        @Schema(description = "Who it is for: UNIT (the unit's handlers), UNIT_HEAD, LEADER or OFFICE")
        String audience,
        String unitCode,
        @Schema(description = "The one person it is for, when it is not for an audience")
        String username,
        UUID itemId,
        String itemNumber,
        String title,
        LocalDate deadline,
        String subject,
        String body,
        OffsetDateTime createdAt,
        @Schema(description = "Whether the caller has read it")
        boolean read,
        @Schema(description = "An urge must be acknowledged by the unit (POST /api/v1/notifications/{id}/ack)")
        boolean ackRequired,
        OffsetDateTime acknowledgedAt,
        String acknowledgedBy) {
}
