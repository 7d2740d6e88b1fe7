package io.duban.notification.calendar;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads task-service's calendar again every {@code duban.calendar-source.refresh-every} (off in %test). */
@ApplicationScoped
public class CalendarRefresh {

    private final OfficeCalendar calendar;

    public CalendarRefresh(OfficeCalendar calendar) {
        this.calendar = calendar;
    }

    @Scheduled(every = "{duban.calendar-source.refresh-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        calendar.refresh();
    }
}
