package io.duban.task.relay;

import jakarta.annotation.Nullable;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How far behind the relay is. The counts and times come from the outbox table (every instance's
 * work); the totals and the last tick are this instance's since it started.
 */
@Schema(name = "RelayStatus", description = "The outbox relay's lag and trouble (发件箱转发状态)")
public record RelayStatus(
        @Schema(description = "Whether this instance's scheduler relays (duban.relay.enabled)")
        boolean enabled,
        @Schema(description = "Whether a service token is configured (a token or a signing key)")
        boolean credentialsConfigured,
        @Schema(description = "Where events are sent")
        String target,
        @Schema(description = "Events written and not yet delivered")
        long pending,
        @Schema(description = "Of those, events that failed at least once")
        long failing,
        @Schema(description = "When the oldest waiting event was written")
        @Nullable Instant oldestPendingAt,
        @Schema(description = "Seconds since the oldest waiting event was written; 0 when none waits")
        long lagSeconds,
        @Schema(description = "When an event was last delivered (by any instance, within the retention period)")
        @Nullable Instant lastDeliveredAt,
        @Schema(description = "The most recent failure of a waiting event: HTTP status and body, or the network error")
        @Nullable String lastError,
        @Schema(description = "When that event is tried again")
        @Nullable Instant nextAttemptAt,
        @Schema(description = "Events this instance delivered since it started")
        long deliveredByThisInstance,
        @Schema(description = "Failed attempts of this instance since it started")
        long failedAttemptsByThisInstance,
        @Schema(description = "When this instance last ran a tick")
        @Nullable Instant lastTickAt) {
}
