package io.duban.common.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.WarningLevel;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 红黄绿灯 rules against the official 2026 arrangement (国庆: 1–7 Oct off, Sat 10 Oct on). */
class WarningPolicyTest {

    static WorkingDayCalculator calendar;

    @BeforeAll
    static void load() throws Exception {
        HolidayCnFormat.Year y2026 = HolidayCnFormat.shipped(2026).orElseThrow();
        calendar = new WorkingDayCalculator(Map.of(2026, y2026.days()));
    }

    /** Tuesday 29 September 2026: the working days ahead are 30 Sep, 8, 9, 10 (make-up) Oct. */
    static WarningPolicy beforeNationalDay() {
        return new WarningPolicy(LocalDate.of(2026, 9, 29), 3, calendar);
    }

    @Test
    void yellowHorizonSkipsTheNationalDayHolidays() {
        assertEquals(LocalDate.of(2026, 10, 9), beforeNationalDay().yellowHorizon());
    }

    @Test
    void deadlineLevels() {
        WarningPolicy p = beforeNationalDay();
        Warning red = p.forDeadline(LocalDate.of(2026, 9, 25));
        assertEquals(WarningLevel.RED, red.level());
        // Working days after Fri 25 Sep up to Tue 29 Sep: 28 and 29.
        assertEquals("已超期 2 个工作日（期限 2026-09-25）", red.reason());
        assertEquals("红灯", red.levelLabel());

        Warning yellow = p.forDeadline(LocalDate.of(2026, 10, 9));
        assertEquals(WarningLevel.YELLOW, yellow.level());
        assertEquals("距办理期限还有 3 个工作日（期限 2026-10-09）", yellow.reason());
        assertEquals("今日到期（期限 2026-09-29）", p.forDeadline(LocalDate.of(2026, 9, 29)).reason());
        // Within the holidays: 7 October is still only 1 working day away (30 September).
        assertEquals(WarningLevel.YELLOW, p.forDeadline(LocalDate.of(2026, 10, 7)).level());

        assertEquals(WarningLevel.GREEN, p.forDeadline(LocalDate.of(2026, 10, 10)).level());
    }

    @Test
    void overdueAcrossAWeekendCountsNoWorkingDays() {
        WarningPolicy sunday = new WarningPolicy(LocalDate.of(2026, 9, 13), 3, calendar);
        Warning w = sunday.forDeadline(LocalDate.of(2026, 9, 11));
        assertEquals(WarningLevel.RED, w.level());
        assertEquals("已超过办理期限（期限 2026-09-11）", w.reason());
    }

    @Test
    void lateReportsTurnAnOtherwiseGreenAssignmentYellow() {
        WarningPolicy p = beforeNationalDay();
        LocalDate far = LocalDate.of(2026, 11, 30);
        assertTrue(p.feedbackLate(FeedbackCycle.WEEKLY, LocalDate.of(2026, 9, 21)));
        assertFalse(p.feedbackLate(FeedbackCycle.WEEKLY, LocalDate.of(2026, 9, 22)));
        assertTrue(p.feedbackLate(FeedbackCycle.BIWEEKLY, LocalDate.of(2026, 9, 14)));
        assertFalse(p.feedbackLate(FeedbackCycle.BIWEEKLY, LocalDate.of(2026, 9, 15)));
        assertTrue(p.feedbackLate(FeedbackCycle.MONTHLY, LocalDate.of(2026, 8, 28)));
        assertFalse(p.feedbackLate(FeedbackCycle.MONTHLY, LocalDate.of(2026, 8, 29)));
        assertFalse(p.feedbackLate(FeedbackCycle.NONE, LocalDate.of(2020, 1, 1)));

        Warning late = p.forAssignment(AssignmentStatus.IN_PROGRESS, far, FeedbackCycle.WEEKLY, LocalDate.of(2026, 9, 1));
        assertEquals(WarningLevel.YELLOW, late.level());
        assertEquals("进展反馈已逾期（每周反馈，上次反馈或交办于 2026-09-01）", late.reason());
        assertEquals(WarningLevel.GREEN, p.forAssignment(AssignmentStatus.IN_PROGRESS, far, FeedbackCycle.WEEKLY,
                LocalDate.of(2026, 9, 28)).level());
        // Reports are due only once the unit is working on it.
        assertEquals(WarningLevel.GREEN, p.forAssignment(AssignmentStatus.PENDING_ACCEPTANCE, far,
                FeedbackCycle.WEEKLY, LocalDate.of(2026, 9, 1)).level());
        // Both due soon and late with reports: yellow, with both reasons.
        Warning both = p.forAssignment(AssignmentStatus.IN_PROGRESS, LocalDate.of(2026, 10, 8), FeedbackCycle.WEEKLY,
                LocalDate.of(2026, 9, 1));
        assertEquals("距办理期限还有 2 个工作日（期限 2026-10-08）；进展反馈已逾期（每周反馈，上次反馈或交办于 2026-09-01）",
                both.reason());
        // Red wins over a late report.
        assertEquals(WarningLevel.RED, p.forAssignment(AssignmentStatus.IN_PROGRESS, LocalDate.of(2026, 9, 1),
                FeedbackCycle.WEEKLY, LocalDate.of(2026, 9, 1)).level());
    }

    @Test
    void onlyOpenWorkHasALight() {
        WarningPolicy p = beforeNationalDay();
        LocalDate d = LocalDate.of(2026, 9, 1);
        assertEquals(WarningLevel.GREEN, p.forAssignment(AssignmentStatus.SUBMITTED, d, FeedbackCycle.NONE, d).level());
        assertNull(p.forAssignment(AssignmentStatus.DONE, d, FeedbackCycle.NONE, d));
        assertNull(p.forAssignment(AssignmentStatus.REASSIGNED, d, FeedbackCycle.NONE, d));
        assertNull(p.forItem(ItemStatus.DRAFT, d, FeedbackCycle.NONE, List.of()));
        assertNull(p.forItem(ItemStatus.COMPLETED, d, FeedbackCycle.NONE, List.of()));
        assertEquals(WarningLevel.RED, p.forItem(ItemStatus.PENDING_REVIEW, d, FeedbackCycle.NONE, List.of()).level());
        assertEquals(WarningLevel.YELLOW, p.forItem(ItemStatus.ACTIVE, LocalDate.of(2026, 12, 1),
                FeedbackCycle.MONTHLY, List.of(LocalDate.of(2026, 9, 28), LocalDate.of(2026, 7, 1))).level());
    }

    @Test
    void completionCountsWorkingDaysEarlyOrLate() {
        WarningPolicy p = beforeNationalDay();
        Completion early = p.completion(LocalDate.of(2026, 10, 9), LocalDate.of(2026, 9, 29));
        assertTrue(early.onTime());
        assertEquals(3, early.workingDaysEarly());
        assertEquals("提前 3 个工作日办结", early.reason());
        Completion sameDay = p.completion(LocalDate.of(2026, 10, 9), LocalDate.of(2026, 10, 9));
        assertEquals(new Completion(true, 0, 0, "按期办结（期限当日）"), sameDay);
        Completion late = p.completion(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 9));
        assertFalse(late.onTime());
        assertEquals(2, late.workingDaysLate());
    }

    @Test
    void aYearWithoutCalendarSaysSo() {
        WarningPolicy p = new WarningPolicy(LocalDate.of(2026, 12, 30), 3, calendar);
        Warning w = p.forDeadline(LocalDate.of(2027, 1, 4));
        assertEquals(WarningLevel.YELLOW, w.level());
        assertTrue(w.reason().endsWith("（2027 年日历未导入，按周一至周五计算）"), w.reason());
    }
}
