package io.duban.notification.delivery;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One delivery as the log shows it; the message itself is not shown. */
public record DeliveryView(
        UUID id,
        Channel channel,
        @Schema(description = "The notice's kind, or the event type of a webhook") String kind,
        @Schema(description = "E-mail address, phone number or webhook URL; absent until looked up in the directory") String recipient,
        String unitCode,
        String username,
        UUID notificationId,
        UUID eventId,
        UUID subscriptionId,
        UUID itemId,
        @Schema(description = "E-mail subject") String subject,
        DeliveryStatus status,
        int attempts,
        @Schema(description = "When the next attempt is due (PENDING only)") OffsetDateTime nextAttemptAt,
        String lastError,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime sentAt) {
}
