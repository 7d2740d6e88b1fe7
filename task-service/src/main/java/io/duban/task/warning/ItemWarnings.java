package io.duban.task.warning;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.WarningLevel;
import io.duban.common.time.OfficeConfig;
import io.duban.common.warning.Completion;
import io.duban.common.warning.Warning;
import io.duban.common.warning.WarningPolicy;
import io.duban.task.calendar.CalendarService;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.ItemRow;
import io.duban.task.domain.SupervisionItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Applies the {@link WarningPolicy} of today to items and assignments as task-service stores them. */
@ApplicationScoped
public class ItemWarnings {

    /** The policy's query predicate over {@code SupervisionItem i} and its {@code Assignment f} (JPQL). */
    private static final String ASSIGNMENTS_OF_ITEM = "Assignment f where f.itemId = i.id";

    private final Clock clock;
    private final ZoneId zone;
    private final int yellowDays;
    private final CalendarService calendar;

    public ItemWarnings(Clock clock, OfficeConfig office, DubanConfig config, CalendarService calendar) {
        this.clock = clock;
        this.zone = office.zone();
        this.yellowDays = config.warning().yellowWorkingDays();
        this.calendar = calendar;
    }

    /** Today's rules; make one per request and use it for every row. */
    public WarningPolicy policy() {
        return new WarningPolicy(LocalDate.now(clock), yellowDays, calendar.calculator());
    }

    /**
     * What lights depend on besides the rows: the office day and the calendar revision. Every cached
     * representation that shows a light (an item's ETag, the feed's ETag and change token) folds it in.
     */
    public String basis() {
        return LocalDate.now(clock).toEpochDay() + "-" + calendar.revision();
    }

    public Warning forAssignment(WarningPolicy p, SupervisionItem item, Assignment a) {
        return forAssignment(p, item.status, item.feedbackCycle, a.status, a.deadline, a.lastProgressAt,
                a.dispatchedAt);
    }

    /** The same from the stored values, for rows read without their entities (the mobile feed). */
    public Warning forAssignment(WarningPolicy p, ItemStatus itemStatus, FeedbackCycle cycle, AssignmentStatus status,
            LocalDate deadline, Instant lastProgressAt, Instant dispatchedAt) {
        if (!itemStatus.isInHandling()) {
            return null;
        }
        return p.forAssignment(status, deadline, cycle, reportClock(lastProgressAt, dispatchedAt));
    }

    /** An item's light from the report clocks of the given assignments (all, or one unit's for a handler). */
    public Warning forItem(WarningPolicy p, SupervisionItem item, List<Assignment> assignments) {
        List<LocalDate> reports = assignments.stream().filter(a -> a.status == WarningPolicy.REPORTING)
                .map(this::reportClock).toList();
        return p.forItem(item.status, item.deadline, item.feedbackCycle, reports);
    }

    /**
     * Warnings of many items with one query for the report clocks of their reporting units, however
     * many items there are. With a unit, only that unit's reports count (a handler's view).
     */
    public Map<UUID, Warning> forItems(WarningPolicy p, List<ItemRow> items, String unit) {
        List<UUID> lit = items.stream().filter(i -> i.status().isInHandling()).map(ItemRow::id).toList();
        Map<UUID, List<LocalDate>> reports = new HashMap<>();
        if (!lit.isEmpty()) {
            TypedQuery<Object[]> query = Assignment.getEntityManager().createQuery(
                    "select a.itemId, a.lastProgressAt, a.dispatchedAt from Assignment a"
                            + " where a.itemId in :ids and a.status = :reporting"
                            + (unit == null ? "" : " and a.unitCode = :unit"), Object[].class)
                    .setParameter("ids", lit).setParameter("reporting", WarningPolicy.REPORTING);
            if (unit != null) {
                query.setParameter("unit", unit);
            }
            for (Object[] r : query.getResultList()) {
                Instant start = WarningPolicy.reportClockStart((Instant) r[1], (Instant) r[2]);
                reports.computeIfAbsent((UUID) r[0], k -> new ArrayList<>()).add(start == null ? null : date(start));
            }
        }
        Map<UUID, Warning> out = new HashMap<>();
        for (ItemRow i : items) {
            Warning w = p.forItem(i.status(), i.deadline(), i.feedbackCycle(), reports.getOrDefault(i.id(), List.of()));
            if (w != null) {
                out.put(i.id(), w);
            }
        }
        return out;
    }

    /**
     * The items of one level as a JPQL predicate over {@code SupervisionItem i} (and, when the query
     * reads one unit's items, its {@code UnitItem v}), the same rule as {@link #forItems}; with a unit,
     * only that unit's reports count.
     */
    public WarningPolicy.Predicate predicate(WarningPolicy p, WarningLevel level, String unit, boolean viaUnitItem) {
        // Read through unit_item, the status and deadline copied there let its index serve the filter.
        String k = viaUnitItem ? "v.itemStatus" : "i.status";
        String d = viaUnitItem ? "v.deadline" : "i.deadline";
        WarningPolicy.Predicate pred = p.predicate(level, new WarningPolicy.Columns(k, d,
                "i.feedbackCycle", ASSIGNMENTS_OF_ITEM + (unit == null ? "" : " and f.unitCode = :w_unit"), "f.status",
                "f.lastProgressAt", "f.dispatchedAt"), zone);
        if (unit != null && pred.where().contains(":w_unit")) {
            pred.params().put("w_unit", unit);
        }
        return pred;
    }

    public Completion completion(WarningPolicy p, SupervisionItem item) {
        return completion(p, item.status, item.deadline, item.completedAt);
    }

    /** An item's completion from its stored values (a list's {@link ItemRow}). */
    public Completion completion(WarningPolicy p, ItemStatus status, LocalDate deadline, Instant completedAt) {
        if (status != ItemStatus.COMPLETED || completedAt == null) {
            return null;
        }
        return p.completion(deadline, date(completedAt));
    }

    private LocalDate reportClock(Assignment a) {
        return reportClock(a.lastProgressAt, a.dispatchedAt);
    }

    private LocalDate reportClock(Instant lastProgressAt, Instant dispatchedAt) {
        Instant at = WarningPolicy.reportClockStart(lastProgressAt, dispatchedAt);
        return at == null ? null : date(at);
    }

    private LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, zone);
    }
}
