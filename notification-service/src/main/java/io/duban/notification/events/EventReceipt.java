package io.duban.notification.events;

import io.duban.common.events.EventType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a delivered event: applied now, or applied before (a redelivery, changed nothing). */
@Schema(name = "EventReceipt")
public record EventReceipt(
        UUID eventId,
        EventType type,
        @Schema(description = "true: applied by this request; false: this event id was applied before and nothing changed")
        boolean applied,
        @Schema(description = "When the event was applied (the first time)")
        Instant appliedAt) {
}
