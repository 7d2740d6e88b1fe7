package io.duban.task.domain;

import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.problem.ProblemException;
import io.duban.common.time.OfficeDates;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Every way an item's and its assignments' deadlines are set or moved, in one place:
 * <ul>
 * <li>registered as a date, or as N working days (工作日) from a base day: today for a draft, the day
 *     of dispatch at dispatch (the rule is kept in {@code deadlineWorkingDays});</li>
 * <li>an approved extension (延期) replaces the assignment's deadline, and the item's when the lead
 *     unit asked; the original deadlines stay beside them;</li>
 * <li>a new calendar recomputes rule-made deadlines of items in handling; an approved extension and
 *     a date given as a date never move.</li>
 * </ul>
 * Plain rules over the entities; the callers hold the item's row lock and the office clock.
 */
public final class Deadlines {

    private final WorkingDayCalculator calendar;

    public Deadlines(WorkingDayCalculator calendar) {
        this.calendar = calendar;
    }

    /** A date as given, or N working days after {@code base}; either way inside {@link OfficeDates} (else 422). */
    public void set(SupervisionItem item, LocalDate date, Integer workingDays, LocalDate base) {
        OfficeDates.require("deadline", date);
        if (workingDays != null) {
            WorkingDayCalculator.Result r = calendar.addWorkingDays(base, workingDays);
            item.deadline = r.date();
            item.deadlineCalendarComplete = r.calendarComplete();
        } else {
            item.deadline = date;
            item.deadlineCalendarComplete = true;
        }
        item.deadlineWorkingDays = workingDays;
        item.originalDeadline = item.deadline;
    }

    /** 交办: a working-day rule counts again from the day of dispatch; every unit gets the item's deadline. */
    public void dispatch(SupervisionItem item, List<Assignment> assignments, LocalDate day) {
        if (item.deadlineWorkingDays != null) {
            set(item, null, item.deadlineWorkingDays, day);
        }
        assignments.forEach(a -> follow(a, item));
    }

    /** A planned assignment follows its item's deadline. */
    public static void follow(Assignment a, SupervisionItem item) {
        a.deadline = item.deadline;
        a.originalDeadline = item.deadline;
    }

    /** An assignment that takes over another unit's (转办) keeps its deadlines. */
    public static void inherit(Assignment to, Assignment from) {
        to.deadline = from.deadline;
        to.originalDeadline = from.originalDeadline;
    }

    /** 延期申请: the requested date lies inside {@link OfficeDates} and after the assignment's deadline (else 422). */
    public static void checkRequested(Assignment a, LocalDate requested) {
        OfficeDates.require("requestedDeadline", requested);
        if (!requested.isAfter(a.deadline)) {
            throw ProblemException.invalid("requestedDeadline", "field.extensionNotLater", a.deadline.toString());
        }
    }

    /** 批准延期: the new date becomes the assignment's deadline, and the item's for the lead unit; returns the old. */
    public static LocalDate extend(SupervisionItem item, Assignment a, LocalDate to) {
        LocalDate old = a.deadline;
        a.deadline = to;
        if (a.role == AssignmentRole.LEAD) {
            item.deadline = to;
        }
        return old;
    }

    /**
     * Recomputes a working-day deadline with this (new) calendar from the day of dispatch. Returns the
     * previous rule-made deadline when it moved; extended deadlines keep their date, and only the
     * rule-made original moves beneath them.
     */
    public Optional<LocalDate> recompute(SupervisionItem item, List<Assignment> live, LocalDate dispatchDay) {
        if (item.deadlineWorkingDays == null || !item.status.isInHandling()) {
            return Optional.empty();
        }
        WorkingDayCalculator.Result r = calendar.addWorkingDays(dispatchDay, item.deadlineWorkingDays);
        LocalDate old = item.originalDeadline;
        item.deadlineCalendarComplete = r.calendarComplete();
        if (r.date().equals(old)) {
            return Optional.empty();
        }
        boolean extended = !item.deadline.equals(old);
        item.originalDeadline = r.date();
        if (!extended) {
            item.deadline = r.date();
        }
        for (Assignment a : live) {
            if (a.originalDeadline.equals(old)) {
                a.originalDeadline = r.date();
                if (a.deadline.equals(old)) {
                    a.deadline = r.date();
                }
            }
        }
        return Optional.of(old);
    }
}
