package io.duban.notification.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.problem.ProblemException;
import io.duban.notification.calendar.WorkingDays;
import io.duban.notification.tracking.TrackedAssignment;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The plan as a pure function, on the official 2026 calendar. */
class ReminderPlanTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final WorkingDays DAYS = new WorkingDays(new WorkingDayCalculator(Map.of(2026,
            HolidayCnFormat.shipped(2026).orElseThrow().days())));

    private static TrackedAssignment assignment(ItemStatus item, AssignmentStatus status, LocalDate deadline) {
        OffsetDateTime dispatched = OffsetDateTime.of(2026, 9, 28, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        return new TrackedAssignment(UUID.randomUUID(), "DB-2026-0001", "标题", Priority.NORMAL, item, deadline, "JW",
                AssignmentRole.LEAD, status, deadline, FeedbackCycle.NONE, dispatched,
                status == AssignmentStatus.PENDING_ACCEPTANCE ? null : dispatched, null, 0);
    }

    @Test
    void onlyAnOpenAssignmentOfAnActiveItemIsReminded() {
        for (ItemStatus item : ItemStatus.values()) {
            for (AssignmentStatus status : AssignmentStatus.values()) {
                boolean expected = item == ItemStatus.ACTIVE
                        && (status == AssignmentStatus.PENDING_ACCEPTANCE || status == AssignmentStatus.IN_PROGRESS);
                assertEquals(expected, ReminderPlan.remindable(item, status), item + "/" + status);
                List<ReminderPlan.Planned> plan = ReminderPlan.plan(assignment(item, status, LocalDate.of(2026, 10, 12)),
                        ReminderPolicy.defaults(), DAYS, LocalDate.of(2026, 9, 28), ZONE);
                assertEquals(expected, !plan.isEmpty(), item + "/" + status + ": " + plan);
            }
        }
    }

    @Test
    void theDefaultPlanOfADeadlineAfterNationalDay() {
        List<ReminderPlan.Planned> plan = ReminderPlan.plan(
                assignment(ItemStatus.ACTIVE, AssignmentStatus.IN_PROGRESS, LocalDate.of(2026, 10, 12)),
                ReminderPolicy.defaults(), DAYS, LocalDate.of(2026, 9, 28), ZONE);
        assertEquals(List.of(
                new ReminderPlan.Planned(Rule.BEFORE_DEADLINE, 3, LocalDate.of(2026, 10, 8)),
                new ReminderPlan.Planned(Rule.BEFORE_DEADLINE, 1, LocalDate.of(2026, 10, 10)),
                new ReminderPlan.Planned(Rule.DEADLINE_DAY, 0, LocalDate.of(2026, 10, 12)),
                new ReminderPlan.Planned(Rule.OVERDUE, 0, LocalDate.of(2026, 10, 13)),
                new ReminderPlan.Planned(Rule.ESCALATION, 1, LocalDate.of(2026, 10, 13)),
                new ReminderPlan.Planned(Rule.ESCALATION, 2, LocalDate.of(2026, 10, 15)),
                new ReminderPlan.Planned(Rule.ESCALATION, 3, LocalDate.of(2026, 10, 20)),
                new ReminderPlan.Planned(Rule.ESCALATION, 4, LocalDate.of(2026, 10, 27))), plan);
    }

    @Test
    void aPolicyOutOfOrderOrIncompleteIsRefusedWithEveryField() {
        ReminderPolicy bad = new ReminderPolicy(List.of(3, 3), null, true, 31, true,
                List.of(new ReminderPolicy.EscalationStep(EscalationLevel.LEADER, 1),
                        new ReminderPolicy.EscalationStep(EscalationLevel.HANDLER, 0)),
                LocalTime.of(18, 0), LocalTime.of(9, 0));
        ProblemException e = assertThrows(ProblemException.class, bad::validated);
        assertEquals(422, e.status());
        assertEquals(List.of("beforeDeadlineWorkingDays", "onDeadlineDay", "notAcceptedWorkingDays", "escalation[1].level",
                "escalation[1].graceWorkingDays", "officeHoursEnd"),
                e.errors().stream().map(ProblemException.FieldError::field).toList());
        assertEquals(List.of(3, 1), ReminderPolicy.defaults().validated().beforeDeadlineWorkingDays());
    }
}
