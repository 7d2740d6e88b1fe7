package io.duban.notification.tracking;

import io.duban.common.events.Event;
import jakarta.annotation.Nullable;

/**
 * Fired (synchronously, as a CDI event) once for every task-service event the intake applies, inside
 * the transaction that records the event as applied. Observers (the reminder schedule, webhook
 * subscriptions) write their own effects in that same transaction, so that an event is applied with
 * all its effects or not at all, and a redelivered event (same id) fires nothing.
 *
 * @param before the unit's assignment as it was before the event; null for a new assignment or an
 *        event about the item alone
 * @param after the assignment after the event; null for an event about the item alone
 */
public record EventApplied(Event event, @Nullable TrackedAssignment before, @Nullable TrackedAssignment after) {
}
