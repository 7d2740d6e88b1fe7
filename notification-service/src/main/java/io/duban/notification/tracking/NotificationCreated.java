package io.duban.notification.tracking;

import jakarta.annotation.Nullable;
import java.util.Map;
import java.util.UUID;

/**
 * Fired (synchronously, as a CDI event) when a notice lands in the in-app inbox (a reminder, an urge,
 * an escalation), inside the transaction that writes it. The deliveries observe it and queue the
 * email and SMS copies for the recipients in that same transaction.
 *
 * @param notificationId the inbox row
 * @param kind the notice's kind, such as DEADLINE_REMINDER, URGE or ESCALATION; names the template
 * @param unitCode the unit the notice is for
 * @param username the person it is for, when it is for one person rather than the whole unit
 * @param itemId the item it concerns
 * @param subject the notice's title as the inbox shows it (Chinese)
 * @param body its text as the inbox shows it (Chinese)
 * @param values what the templates may fill in (itemNumber, title, deadline, workingDaysLeft, ...)
 */
public record NotificationCreated(
        UUID notificationId,
        String kind,
        String unitCode,
        @Nullable String username,
        UUID itemId,
        String subject,
        String body,
        Map<String, String> values) {

    public NotificationCreated {
        values = Map.copyOf(values);
    }
}
