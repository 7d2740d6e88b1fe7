package io.duban.notification.reminders;

import io.duban.common.problem.ProblemException;
import io.duban.notification.calendar.WorkingHours;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The office's reminder policy (提醒策略). Every duration is in working days of the office calendar.
 *
 * @param beforeDeadlineWorkingDays remind the unit this many working days before the deadline (one
 *        reminder per value)
 * @param onDeadlineDay remind on the deadline day (when it is a working day)
 * @param dailyWhileOverdue remind each working day while overdue
 * @param notAcceptedWorkingDays remind a unit that has not accepted (签收) within this many working
 *        days of dispatch; 0 turns it off
 * @param progressLate remind when a periodic progress report (定期反馈) is late
 * @param escalation the chain 承办人 → unit head → responsible leader → office, each step after its
 *        grace period counted from the previous step (the first from the deadline)
 * @param officeHoursStart reminders go out from this time on working days ...
 * @param officeHoursEnd ... until this time (exclusive), office time zone
 */
@Schema(name = "ReminderPolicy")
public record ReminderPolicy(
        @Schema(description = "Remind this many working days before the deadline, one reminder per value (1..30, at most 5)",
                examples = "[3, 1]")
        List<Integer> beforeDeadlineWorkingDays,
        @Schema(description = "Remind on the deadline day (when it is a working day)")
        Boolean onDeadlineDay,
        @Schema(description = "Remind each working day while overdue")
        Boolean dailyWhileOverdue,
        @Schema(description = "Remind a unit that has not accepted within this many working days of dispatch (0..30, 0: off)")
        Integer notAcceptedWorkingDays,
        @Schema(description = "Remind when a periodic progress report is late")
        Boolean progressLate,
        @Schema(description = "Escalation steps in chain order HANDLER, UNIT_HEAD, LEADER, OFFICE (each at most once)")
        List<EscalationStep> escalation,
        @Schema(description = "Office hours start (HH:mm, office time zone)", examples = "09:00", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)
        LocalTime officeHoursStart,
        @Schema(description = "Office hours end, exclusive (HH:mm)", examples = "17:30", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)
        LocalTime officeHoursEnd) {

    static final int MAX_DAYS = 30;
    static final int MAX_GRACE = 60;
    static final int MAX_BEFORE = 5;

    /**
     * One escalation step.
     *
     * @param level who is told
     * @param graceWorkingDays working days after the previous step (the first: after the deadline)
     */
    @Schema(name = "EscalationStep")
    public record EscalationStep(EscalationLevel level,
            @Schema(description = "Working days after the previous step (the first: after the deadline), 1..60")
            Integer graceWorkingDays) {
    }

    /** The defaults: 3 and 1 working days before, on the day, daily overdue, not accepted within 1. */
    public static ReminderPolicy defaults() {
        return new ReminderPolicy(List.of(3, 1), true, true, 1, true,
                List.of(new EscalationStep(EscalationLevel.HANDLER, 1), new EscalationStep(EscalationLevel.UNIT_HEAD, 2),
                        new EscalationStep(EscalationLevel.LEADER, 3), new EscalationStep(EscalationLevel.OFFICE, 5)),
                LocalTime.of(9, 0), LocalTime.of(17, 30));
    }

    public WorkingHours officeHours(ZoneId zone) {
        return new WorkingHours(officeHoursStart, officeHoursEnd, zone);
    }

    /** The policy if every field is given and sensible, else 422 naming each bad field; sorted copies. */
    public ReminderPolicy validated() {
        List<ProblemException.FieldError> errors = new ArrayList<>();
        List<Integer> before = beforeDeadlineWorkingDays;
        if (before == null) {
            errors.add(new ProblemException.FieldError("beforeDeadlineWorkingDays", "field.required"));
        } else if (before.size() > MAX_BEFORE || new HashSet<>(before).size() != before.size()
                || before.stream().anyMatch(n -> n == null || n < 1 || n > MAX_DAYS)) {
            errors.add(new ProblemException.FieldError("beforeDeadlineWorkingDays", "reminders.beforeDays", MAX_BEFORE, MAX_DAYS));
        }
        required(errors, "onDeadlineDay", onDeadlineDay);
        required(errors, "dailyWhileOverdue", dailyWhileOverdue);
        required(errors, "progressLate", progressLate);
        if (notAcceptedWorkingDays == null) {
            errors.add(new ProblemException.FieldError("notAcceptedWorkingDays", "field.required"));
        } else if (notAcceptedWorkingDays < 0 || notAcceptedWorkingDays > MAX_DAYS) {
            errors.add(new ProblemException.FieldError("notAcceptedWorkingDays", "field.range", 0, MAX_DAYS));
        }
        if (escalation == null) {
            errors.add(new ProblemException.FieldError("escalation", "field.required"));
        } else {
            Set<EscalationLevel> seen = new HashSet<>();
            EscalationLevel previous = null;
            for (int i = 0; i < escalation.size(); i++) {
                EscalationStep step = escalation.get(i);
                String field = "escalation[" + i + "]";
                if (step == null || step.level() == null) {
                    errors.add(new ProblemException.FieldError(field + ".level", "field.required"));
                    continue;
                }
                if (!seen.add(step.level()) || previous != null && step.level().ordinal() < previous.ordinal()) {
                    errors.add(new ProblemException.FieldError(field + ".level", "reminders.chainOrder"));
                }
                previous = step.level();
                if (step.graceWorkingDays() == null || step.graceWorkingDays() < 1 || step.graceWorkingDays() > MAX_GRACE) {
                    errors.add(new ProblemException.FieldError(field + ".graceWorkingDays", "field.range", 1, MAX_GRACE));
                }
            }
        }
        required(errors, "officeHoursStart", officeHoursStart);
        required(errors, "officeHoursEnd", officeHoursEnd);
        if (officeHoursStart != null && officeHoursEnd != null && !officeHoursStart.isBefore(officeHoursEnd)) {
            errors.add(new ProblemException.FieldError("officeHoursEnd", "reminders.officeHours"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(422, "invalid-field", errors);
        }
        List<Integer> sorted = new ArrayList<>(before);
        sorted.sort((a, b) -> b - a);
        return new ReminderPolicy(List.copyOf(sorted), onDeadlineDay, dailyWhileOverdue, notAcceptedWorkingDays,
                progressLate, List.copyOf(escalation), officeHoursStart.withSecond(0).withNano(0),
                officeHoursEnd.withSecond(0).withNano(0));
    }

    private static void required(List<ProblemException.FieldError> errors, String field, Object value) {
        if (value == null) {
            errors.add(new ProblemException.FieldError(field, "field.required"));
        }
    }
}
