package io.duban.notification.subscriptions;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new webhook subscription. */
public record SubscriptionRequest(
        @Schema(description = "Absolute http(s) URL the events are POSTed to", example = "https://oa.example.gov.cn/duban/events")
        @NotBlank @Size(max = 2000) String url,
        @Schema(description = "Event types (ITEM_DISPATCHED, ITEM_COMPLETED, ...) or \"*\" for every type")
        @NotEmpty @Size(max = 30) List<@NotNull @Size(max = 40) String> eventTypes,
        @Schema(description = "The HMAC-SHA256 key (16 to 200 characters) the subscriber verifies signatures with; never returned")
        @NotBlank @Size(min = 16, max = 200) String secret,
        @Size(max = 500) String description) {
}
