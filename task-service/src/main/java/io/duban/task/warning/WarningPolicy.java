package io.duban.task.warning;

import io.duban.task.calendar.WorkingDayCalculator;
import io.duban.task.domain.AssignmentStatus;
import io.duban.task.domain.FeedbackCycle;
import io.duban.task.domain.ItemStatus;
import io.duban.task.domain.WarningLevel;
import java.time.LocalDate;
import java.util.List;

/**
 * The 红黄绿灯 rules for one day, as plain Java:
 * RED past the deadline; YELLOW due within {@code yellowDays} working days, or a periodic progress
 * report is late; GREEN otherwise. A report is late when the last one (or the dispatch, before the
 * first) is older than one cycle before today. The thresholds are computed once, so a list of items
 * costs no more per item than a few comparisons, and the same thresholds drive the SQL filter.
 */
public final class WarningPolicy {

    private final LocalDate today;
    private final int yellowDays;
    private final WorkingDayCalculator calendar;
    private final LocalDate yellowHorizon;

    public WarningPolicy(LocalDate today, int yellowDays, WorkingDayCalculator calendar) {
        this.today = today;
        this.yellowDays = yellowDays;
        this.calendar = calendar;
        this.yellowHorizon = calendar.addWorkingDays(today, yellowDays).date();
    }

    public LocalDate today() {
        return today;
    }

    /** The last deadline that is still YELLOW: {@code yellowDays} working days after today. */
    public LocalDate yellowHorizon() {
        return yellowHorizon;
    }

    /** A report dated before this day is late for the cycle; null when the cycle needs no reports. */
    public LocalDate feedbackCutoff(FeedbackCycle cycle) {
        return switch (cycle) {
            case NONE -> null;
            case WEEKLY -> today.minusWeeks(1);
            case BIWEEKLY -> today.minusWeeks(2);
            case MONTHLY -> today.minusMonths(1);
        };
    }

    public boolean feedbackLate(FeedbackCycle cycle, LocalDate lastReportOrDispatch) {
        LocalDate cutoff = feedbackCutoff(cycle);
        return cutoff != null && lastReportOrDispatch != null && lastReportOrDispatch.isBefore(cutoff);
    }

    /** The level a deadline alone gives today. */
    public Warning forDeadline(LocalDate deadline) {
        if (deadline.isBefore(today)) {
            WorkingDayCalculator.Count late = calendar.workingDaysBetween(deadline, today);
            String days = late.days() > 0 ? "已超期 " + late.days() + " 个工作日" : "已超过办理期限";
            return Warning.of(WarningLevel.RED, days + "（期限 " + deadline + "）" + note(late.missingYears()));
        }
        if (!deadline.isAfter(yellowHorizon)) {
            WorkingDayCalculator.Count left = calendar.workingDaysBetween(today, deadline);
            String days = deadline.equals(today) ? "今日到期" : "距办理期限还有 " + left.days() + " 个工作日";
            return Warning.of(WarningLevel.YELLOW, days + "（期限 " + deadline + "）" + note(left.missingYears()));
        }
        return Warning.of(WarningLevel.GREEN, "距办理期限超过 " + yellowDays + " 个工作日（期限 " + deadline + "）");
    }

    /** An assignment's warning; null for assignments that are not the unit's open work. */
    public Warning forAssignment(AssignmentStatus status, LocalDate deadline, FeedbackCycle cycle,
            LocalDate lastReportOrDispatch) {
        return switch (status) {
            case PENDING_ACCEPTANCE, DECLINED -> forDeadline(deadline);
            case IN_PROGRESS -> forDeadline(deadline).worst(feedback(cycle, lastReportOrDispatch));
            case SUBMITTED -> Warning.of(WarningLevel.GREEN, "已申请办结，等待审核");
            default -> null;
        };
    }

    /**
     * An item's warning: its own deadline, and any late periodic report of its units. Null for items
     * that are not open work (drafts, completed, cancelled).
     */
    public Warning forItem(ItemStatus status, LocalDate deadline, FeedbackCycle cycle,
            List<LocalDate> lastReportsOfWorkingUnits) {
        if (status != ItemStatus.ACTIVE && status != ItemStatus.PENDING_REVIEW) {
            return null;
        }
        Warning w = forDeadline(deadline);
        for (LocalDate last : lastReportsOfWorkingUnits) {
            w = w.worst(feedback(cycle, last));
        }
        return w;
    }

    private Warning feedback(FeedbackCycle cycle, LocalDate lastReportOrDispatch) {
        if (!feedbackLate(cycle, lastReportOrDispatch)) {
            return null;
        }
        return Warning.of(WarningLevel.YELLOW, "进展反馈已逾期（" + cycle.label() + "反馈，上次反馈或交办于 "
                + lastReportOrDispatch + "）");
    }

    /** How a completed item finished against its effective deadline. */
    public Completion completion(LocalDate deadline, LocalDate completedOn) {
        int diff = calendar.workingDaysBetween(deadline, completedOn).days();
        if (completedOn.isAfter(deadline)) {
            return new Completion(false, 0, diff, diff > 0 ? "超期 " + diff + " 个工作日办结" : "超过期限办结");
        }
        int early = -diff;
        return new Completion(true, early, 0, early > 0 ? "提前 " + early + " 个工作日办结" : "按期办结（期限当日）");
    }

    private static String note(List<Integer> missingYears) {
        return missingYears.isEmpty() ? "" : "（" + missingYears.get(0) + " 年日历未导入，按周一至周五计算）";
    }
}
