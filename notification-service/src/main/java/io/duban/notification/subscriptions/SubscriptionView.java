package io.duban.notification.subscriptions;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A subscription as the API shows it: everything but the secret. */
public record SubscriptionView(UUID id, String url, List<String> eventTypes, String description, boolean active,
        String createdBy, OffsetDateTime createdAt) {
}
