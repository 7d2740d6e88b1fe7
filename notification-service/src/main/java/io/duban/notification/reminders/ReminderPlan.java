package io.duban.notification.reminders;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.notification.calendar.WorkingDays;
import io.duban.notification.tracking.TrackedAssignment;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Which reminders an assignment should get from today on: a pure function of the assignment, the
 * policy, the working days and today. The schedule stores its answer; a replan asks again.
 *
 * <p>Rows for days already past are planned only for rules that are sent once however late
 * (acceptance, progress, escalation): the unique key then makes sure each goes out once. The
 * day-bound rules (days left, deadline day, overdue) are planned from today on.
 */
public final class ReminderPlan {

    /** One row of the schedule. */
    public record Planned(Rule rule, int step, LocalDate day) {
    }

    private ReminderPlan() {
    }

    /**
     * Still the unit's to work on, with the item live: waiting to be accepted or in progress. Submitted,
     * done, declined, reassigned or cancelled assignments, and items under review or closed, get no
     * reminders.
     */
    public static boolean remindable(ItemStatus itemStatus, AssignmentStatus status) {
        return itemStatus == ItemStatus.ACTIVE
                && (status == AssignmentStatus.PENDING_ACCEPTANCE || status == AssignmentStatus.IN_PROGRESS);
    }

    public static List<Planned> plan(TrackedAssignment a, ReminderPolicy p, WorkingDays days, LocalDate today,
            ZoneId zone) {
        List<Planned> out = new ArrayList<>();
        if (!remindable(a.itemStatus(), a.status())) {
            return out;
        }
        LocalDate deadline = a.deadline();
        if (a.status() == AssignmentStatus.PENDING_ACCEPTANCE && p.notAcceptedWorkingDays() > 0) {
            LocalDate dispatched = date(a.dispatchedAt(), zone);
            out.add(new Planned(Rule.NOT_ACCEPTED, p.notAcceptedWorkingDays(),
                    days.addWorkingDays(dispatched, p.notAcceptedWorkingDays())));
        }
        for (int n : p.beforeDeadlineWorkingDays()) {
            LocalDate day = days.before(deadline, n);
            if (!day.isBefore(today)) {
                out.add(new Planned(Rule.BEFORE_DEADLINE, n, day));
            }
        }
        if (p.onDeadlineDay() && days.isWorkingDay(deadline) && !deadline.isBefore(today)) {
            out.add(new Planned(Rule.DEADLINE_DAY, 0, deadline));
        }
        if (p.dailyWhileOverdue()) {
            out.add(new Planned(Rule.OVERDUE, 0, nextOverdueDay(deadline, today, days)));
        }
        int after = 0;
        for (ReminderPolicy.EscalationStep step : p.escalation()) {
            after += step.graceWorkingDays();
            out.add(new Planned(Rule.ESCALATION, step.level().ordinal() + 1, days.addWorkingDays(deadline, after)));
        }
        if (p.progressLate() && a.status() == AssignmentStatus.IN_PROGRESS && a.feedbackCycle() != FeedbackCycle.NONE) {
            OffsetDateTime last = a.lastProgressAt() != null ? a.lastProgressAt()
                    : a.acceptedAt() != null ? a.acceptedAt() : a.dispatchedAt();
            LocalDate due = nextReportDue(date(last, zone), a.feedbackCycle());
            // Late the working day after the report was due.
            out.add(new Planned(Rule.PROGRESS_LATE, 0, days.addWorkingDays(due, 1)));
        }
        return out;
    }

    /** The overdue reminder to plan next: the first overdue working day, or today's / the next one. */
    public static LocalDate nextOverdueDay(LocalDate deadline, LocalDate today, WorkingDays days) {
        LocalDate first = days.addWorkingDays(deadline, 1);
        LocalDate fromToday = days.onOrAfter(today);
        return first.isAfter(fromToday) ? first : fromToday;
    }

    /** When the next periodic report is due after one on {@code last}. */
    static LocalDate nextReportDue(LocalDate last, FeedbackCycle cycle) {
        return switch (cycle) {
            case WEEKLY -> last.plusWeeks(1);
            case BIWEEKLY -> last.plusWeeks(2);
            case MONTHLY -> last.plusMonths(1);
            case NONE -> throw new IllegalArgumentException("no report is due without a cycle");
        };
    }

    static LocalDate date(OffsetDateTime at, ZoneId zone) {
        return at.atZoneSameInstant(zone).toLocalDate();
    }
}
