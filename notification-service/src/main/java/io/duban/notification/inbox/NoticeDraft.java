package io.duban.notification.inbox;

import jakarta.annotation.Nullable;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/** A notice about to be written to the inbox (by the reminder schedule or an urge). */
public record NoticeDraft(
        String kind,
        String audience,
        String unitCode,
        @Nullable String username,
        UUID itemId,
        String itemNumber,
        String title,
        @Nullable LocalDate deadline,
        String subject,
        String body,
        @Nullable Long reminderId,
        @Nullable UUID sourceEventId,
        boolean ackRequired,
        Map<String, String> values) {
}
