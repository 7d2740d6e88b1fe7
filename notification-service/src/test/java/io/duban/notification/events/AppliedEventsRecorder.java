package io.duban.notification.events;

import io.duban.notification.tracking.EventApplied;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An observer of {@link EventApplied} as the reminder schedule will be one: it sees every applied
 * event inside the applying transaction, and can be told to fail for an item (an effect that cannot
 * be written), which must undo the whole application.
 */
@ApplicationScoped
public class AppliedEventsRecorder {

    private final List<EventApplied> seen = new CopyOnWriteArrayList<>();
    private final Set<UUID> failFor = ConcurrentHashMap.newKeySet();

    void on(@Observes EventApplied applied) {
        if (failFor.contains(applied.event().itemId())) {
            throw new IllegalStateException("the effect of " + applied.event().eventId() + " cannot be written");
        }
        seen.add(applied);
    }

    public List<EventApplied> of(UUID itemId) {
        return seen.stream().filter(a -> a.event().itemId().equals(itemId)).toList();
    }

    public void failFor(UUID itemId) {
        failFor.add(itemId);
    }

    public void heal(UUID itemId) {
        failFor.remove(itemId);
    }
}
