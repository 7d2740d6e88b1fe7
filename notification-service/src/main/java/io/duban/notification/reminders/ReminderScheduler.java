package io.duban.notification.reminders;

import io.duban.common.lifecycle.Draining;
import io.duban.common.time.OfficeConfig;
import io.duban.notification.calendar.OfficeCalendar;
import io.duban.notification.calendar.WorkingDays;
import io.duban.notification.inbox.Inbox;
import io.duban.notification.inbox.NoticeDraft;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends the reminders that are due: on working days, inside office hours, each (assignment, rule,
 * step, day) once. Several instances may tick on one database at once: each claims its rows with
 * FOR UPDATE SKIP LOCKED and marks them SENT in the transaction that writes the notice, so a row is
 * sent by exactly one of them, and a crash before the commit leaves it PLANNED for the next tick.
 * quarkus-scheduler drives {@link #tick()} in production; tests call it with a SettableClock.
 */
@ApplicationScoped
public class ReminderScheduler {

    private static final Logger LOG = Logger.getLogger(ReminderScheduler.class);

    private final Schedule schedule;
    private final PolicyStore policies;
    private final OfficeCalendar calendar;
    private final Inbox inbox;
    private final Clock clock;
    private final ZoneId zone;
    private final int batchSize;
    private final Draining draining;

    public ReminderScheduler(Schedule schedule, PolicyStore policies, OfficeCalendar calendar, Inbox inbox, Clock clock,
            OfficeConfig office, ReminderConfig config, Draining draining) {
        this.draining = draining;
        this.schedule = schedule;
        this.policies = policies;
        this.calendar = calendar;
        this.inbox = inbox;
        this.clock = clock;
        this.zone = office.zone();
        this.batchSize = config.batchSize();
    }

    @Scheduled(every = "{duban.reminders.tick-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            draining.unlessStopping(this::tick);
        } catch (RuntimeException e) {
            // The database is away (restarting, failing over): nothing was marked sent, the next tick tries again.
            LOG.warnf("reminder tick failed: %s", e.toString());
        }
    }

    /** What one tick did. */
    public record Tick(int sent, int expired) {
    }

    /**
     * Sends what is due now; nothing outside office hours or on a day off. Once the service is shutting
     * down no new batch is claimed (the one under way commits; the rest stays PLANNED).
     */
    public Tick tick() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        ReminderPolicy policy = policies.current().policy();
        WorkingDays days = calendar.workingDays();
        if (!policy.officeHours(zone).contains(now, days::isWorkingDay)) {
            return new Tick(0, 0);
        }
        int sent = 0;
        int expired = 0;
        while (!draining.stopping()) {
            Tick batch = QuarkusTransaction.requiringNew().call(() -> sendBatch(now, today, days));
            sent += batch.sent();
            expired += batch.expired();
            if (batch.sent() + batch.expired() < batchSize) {
                return new Tick(sent, expired);
            }
        }
        return new Tick(sent, expired);
    }

    /**
     * One claimed batch in one transaction, with one statement (or one JDBC batch) per kind of write
     * rather than per reminder: the notices, the rows marked SENT, those marked EXPIRED, the next
     * overdue days. What is sent and expired is decided reminder by reminder, as before.
     */
    private Tick sendBatch(Instant now, LocalDate today, WorkingDays days) {
        List<Schedule.Due> due = schedule.claimDue(today, batchSize);
        List<Long> expired = new ArrayList<>();
        List<Long> sent = new ArrayList<>();
        List<NoticeDraft> notices = new ArrayList<>();
        List<Schedule.Next> next = new ArrayList<>();
        for (Schedule.Due d : due) {
            if (!ReminderPlan.remindable(d.assignment().itemStatus(), d.assignment().status())) {
                // Cannot happen while the events replan in their transaction; kept so it never sends.
                expired.add(d.id());
                continue;
            }
            if (d.rule().onlyOnItsDay() && d.day().isBefore(today)) {
                expired.add(d.id());
            } else {
                notices.add(NoticeTexts.reminder(d.id(), d.rule(), d.step(), d.assignment(), today, days, zone));
                sent.add(d.id());
            }
            if (d.rule() == Rule.OVERDUE) {
                // Overdue reminders are planned a day at a time: the next working day after this one.
                LocalDate day = d.day().isBefore(today) ? days.onOrAfter(today) : days.addWorkingDays(today, 1);
                next.add(new Schedule.Next(d.assignment().itemId(), d.assignment().unitCode(),
                        new ReminderPlan.Planned(Rule.OVERDUE, 0, day)));
            }
        }
        List<UUID> written = inbox.createAll(notices);
        schedule.markSent(sent, written, now);
        schedule.markExpired(expired);
        schedule.addAll(next, now);
        return new Tick(sent.size(), expired.size());
    }
}
