package io.duban.notification.reminders;

import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.EventType;
import io.duban.common.time.OfficeConfig;
import io.duban.notification.calendar.OfficeCalendar;
import io.duban.notification.calendar.WorkingDays;
import io.duban.notification.inbox.Inbox;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.TrackedAssignment;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Keeps the schedule in step with the events, inside the transaction that applies each one: the
 * assignment's reminders are planned again from its new state, so completion, cancellation, decline
 * or reassignment stop them at once (nothing is remindable any more) and an approved extension or a
 * recomputed deadline moves them. An urge (ITEM_URGED) becomes an urge notice at once.
 */
@ApplicationScoped
public class ReminderPlanner {

    private final Schedule schedule;
    private final PolicyStore policies;
    private final OfficeCalendar calendar;
    private final Inbox inbox;
    private final Clock clock;
    private final ZoneId zone;

    public ReminderPlanner(Schedule schedule, PolicyStore policies, OfficeCalendar calendar, Inbox inbox, Clock clock,
            OfficeConfig office) {
        this.schedule = schedule;
        this.policies = policies;
        this.calendar = calendar;
        this.inbox = inbox;
        this.clock = clock;
        this.zone = office.zone();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    @WithSpan("plan reminders")
    void onEventApplied(@Observes EventApplied applied) {
        Event event = applied.event();
        if (event.data() instanceof EventData.DeadlineChanged changed
                && changed.reason() == EventData.DeadlineChanged.Reason.CALENDAR) {
            // task-service imported a calendar: read it now (once for the burst of events it causes).
            calendar.refreshUnlessFresh();
        }
        Instant now = clock.instant();
        TrackedAssignment after = applied.after();
        if (after == null) {
            if (event.type() == EventType.ITEM_CANCELLED) {
                schedule.stopItem(event.itemId(), now);
            }
            return;
        }
        schedule.save(after, now);
        LocalDate today = LocalDate.ofInstant(now, zone);
        WorkingDays days = calendar.workingDays();
        schedule.replan(after, ReminderPlan.plan(after, policies.current().policy(), days, today, zone), now);
        if (event.data() instanceof EventData.ItemUrged urge) {
            inbox.create(NoticeTexts.urge(event.eventId(), urge, after, today, days));
        }
    }

    /** The calendar or the policy changed: every remindable assignment is planned again. */
    @Transactional
    void onCalendarChanged(@Observes OfficeCalendar.CalendarChanged changed) {
        replanAll();
    }

    /** Plans every remindable assignment again; returns how many. */
    @Transactional
    public int replanAll() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        WorkingDays days = calendar.workingDays();
        ReminderPolicy policy = policies.current().policy();
        int n = 0;
        for (TrackedAssignment a : schedule.remindable()) {
            schedule.replan(a, ReminderPlan.plan(a, policy, days, today, zone), now);
            n++;
        }
        return n;
    }
}
