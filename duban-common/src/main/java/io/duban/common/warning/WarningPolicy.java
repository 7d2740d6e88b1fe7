package io.duban.common.warning;

import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.WarningLevel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 红黄绿灯 rules for one day, as plain Java:
 * RED past the deadline; YELLOW due within {@code yellowDays} working days, or a periodic progress
 * report is late; GREEN otherwise. A report is late when the last one (or the dispatch, before the
 * first) is older than one cycle before today. The thresholds are computed once, so a list of items
 * costs no more per item than a few comparisons, and the same thresholds drive the query filter
 * ({@link #predicate}), written here beside the Java rule so that the two are read and changed
 * together (and a randomized test in task-service checks that they agree).
 *
 * <p>Only items in handling ({@link ItemStatus#IN_HANDLING}) have a light. The units whose periodic
 * reports count are those {@link #REPORTING}; their report clock runs from the last report, or from
 * when the unit received the item ({@link #reportClockStart}).
 */
public final class WarningPolicy {

    /** Assignments whose periodic progress reports are due: the ones being worked on. */
    public static final AssignmentStatus REPORTING = AssignmentStatus.IN_PROGRESS;

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

    /**
     * Where a unit's report clock starts: its last progress report, or when it received the item.
     * The query form is {@code coalesce(lastProgress, dispatched)} in {@link #predicate}.
     */
    public static Instant reportClockStart(Instant lastProgress, Instant dispatched) {
        return lastProgress != null ? lastProgress : dispatched;
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
        if (!status.isInHandling()) {
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

    /**
     * How a query names an item and its assignments. JPQL and SQL both fit: {@code assignmentsOfItem}
     * is the {@code from … where …} of a correlated subquery over the item's assignments (narrowed to
     * one unit for a handler's view), the others are column expressions.
     */
    public record Columns(String itemStatus, String deadline, String feedbackCycle, String assignmentsOfItem,
            String assignmentStatus, String lastProgress, String dispatched) {
    }

    /** A where-clause fragment and its named parameters (enum values as enums: bind them by name in SQL). */
    public record Predicate(String where, Map<String, Object> params) {
    }

    /**
     * The items of one level as a query predicate, from the same thresholds as {@link #forItem}:
     * RED past the deadline; YELLOW due by the horizon, or a reporting unit's clock older than its
     * cycle's cutoff; GREEN neither. Timestamps are compared with the start of the cutoff day in
     * the office's zone.
     */
    public Predicate predicate(WarningLevel level, Columns c, ZoneId zone) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder(c.itemStatus() + " in :w_lit");
        params.put("w_lit", ItemStatus.IN_HANDLING);
        params.put("w_today", today);
        if (level == WarningLevel.RED) {
            where.append(" and ").append(c.deadline()).append(" < :w_today");
            return new Predicate(where.toString(), params);
        }
        StringBuilder late = new StringBuilder("exists (select 1 from " + c.assignmentsOfItem() + " and "
                + c.assignmentStatus() + " = :w_reporting and (");
        params.put("w_reporting", REPORTING);
        String or = "";
        for (FeedbackCycle cycle : FeedbackCycle.values()) {
            LocalDate cutoff = feedbackCutoff(cycle);
            if (cutoff == null) {
                continue;
            }
            String n = cycle.name().toLowerCase();
            late.append(or).append('(').append(c.feedbackCycle()).append(" = :w_c_").append(n)
                    .append(" and coalesce(").append(c.lastProgress()).append(", ").append(c.dispatched())
                    .append(") < :w_cut_").append(n).append(')');
            params.put("w_c_" + n, cycle);
            params.put("w_cut_" + n, cutoff.atStartOfDay(zone).toInstant());
            or = " or ";
        }
        late.append("))");
        params.put("w_horizon", yellowHorizon);
        if (level == WarningLevel.YELLOW) {
            where.append(" and ").append(c.deadline()).append(" >= :w_today and (").append(c.deadline())
                    .append(" <= :w_horizon or ").append(late).append(')');
        } else {
            where.append(" and ").append(c.deadline()).append(" > :w_horizon and not ").append(late);
            params.remove("w_today");
        }
        return new Predicate(where.toString(), params);
    }

    private static String note(List<Integer> missingYears) {
        return missingYears.isEmpty() ? "" : "（" + missingYears.get(0) + " 年日历未导入，按周一至周五计算）";
    }
}
