package io.duban.notification.inbox;

import io.duban.notification.tracking.NotificationCreated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the deliveries would see: every NotificationCreated fired. */
@ApplicationScoped
public class NoticesSeen {

    private final List<NotificationCreated> seen = new CopyOnWriteArrayList<>();

    void on(@Observes NotificationCreated created) {
        seen.add(created);
    }

    public List<NotificationCreated> all() {
        return List.copyOf(seen);
    }
}
