package io.duban.notification.support;

import io.duban.common.events.Event;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.TrackedAssignment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stands in for the event intake (another developer's part, not on this branch): fires EventApplied
 * inside a transaction of its own, as the intake does once per applied event.
 */
@ApplicationScoped
public class Intake {

    private final jakarta.enterprise.event.Event<EventApplied> applied;

    public Intake(jakarta.enterprise.event.Event<EventApplied> applied) {
        this.applied = applied;
    }

    public void apply(Event event, TrackedAssignment before, TrackedAssignment after) {
        QuarkusTransaction.requiringNew().run(() -> applied.fire(new EventApplied(event, before, after)));
    }
}
