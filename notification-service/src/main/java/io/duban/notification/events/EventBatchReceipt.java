package io.duban.notification.events;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a batch of events: one receipt per element, in the order they were sent. */
@Schema(name = "EventBatchReceipt")
public record EventBatchReceipt(
        @Schema(description = "One receipt per element of the batch, in the same order")
        List<EventReceipt> results) {
}
