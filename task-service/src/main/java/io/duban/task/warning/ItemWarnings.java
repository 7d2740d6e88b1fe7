package io.duban.task.warning;

import io.duban.task.calendar.CalendarService;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.AssignmentStatus;
import io.duban.task.domain.ItemStatus;
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

/** Applies the {@link WarningPolicy} of today to items and assignments as they are stored. */
@ApplicationScoped
public class ItemWarnings {

    private final Clock clock;
    private final ZoneId zone;
    private final int yellowDays;
    private final CalendarService calendar;

    public ItemWarnings(Clock clock, DubanConfig config, CalendarService calendar) {
        this.clock = clock;
        this.zone = config.office().zone();
        this.yellowDays = config.warning().yellowWorkingDays();
        this.calendar = calendar;
    }

    /** Today's rules; make one per request and use it for every row. */
    public WarningPolicy policy() {
        return new WarningPolicy(LocalDate.now(clock), yellowDays, calendar.calculator());
    }

    public Warning forAssignment(WarningPolicy p, SupervisionItem item, Assignment a) {
        if (!item.status.isOpen() || item.status == ItemStatus.DRAFT) {
            return null;
        }
        return p.forAssignment(a.status, a.deadline, item.feedbackCycle, lastReportOrDispatch(a));
    }

    public Warning forItem(WarningPolicy p, SupervisionItem item, List<Assignment> assignments) {
        List<LocalDate> reports = assignments.stream().filter(a -> a.status == AssignmentStatus.IN_PROGRESS)
                .map(this::lastReportOrDispatch).toList();
        return p.forItem(item.status, item.deadline, item.feedbackCycle, reports);
    }

    /**
     * Warnings of many items with one query for the report dates of their working units, however
     * many items there are. With a unit, only that unit's reports count (a handler's view).
     */
    public Map<UUID, Warning> forItems(WarningPolicy p, List<SupervisionItem> items, String unit) {
        List<UUID> open = items.stream().filter(i -> i.status == ItemStatus.ACTIVE
                || i.status == ItemStatus.PENDING_REVIEW).map(i -> i.id).toList();
        Map<UUID, List<LocalDate>> reports = new HashMap<>();
        if (!open.isEmpty()) {
            TypedQuery<Object[]> query = Assignment.getEntityManager().createQuery(
                    "select a.itemId, a.lastProgressAt, a.dispatchedAt from Assignment a"
                            + " where a.itemId in :ids and a.status = :working"
                            + (unit == null ? "" : " and a.unitCode = :unit"), Object[].class)
                    .setParameter("ids", open).setParameter("working", AssignmentStatus.IN_PROGRESS);
            if (unit != null) {
                query.setParameter("unit", unit);
            }
            List<Object[]> rows = query.getResultList();
            for (Object[] r : rows) {
                reports.computeIfAbsent((UUID) r[0], k -> new ArrayList<>())
                        .add(date(reportClockStart((Instant) r[1], (Instant) r[2])));
            }
        }
        Map<UUID, Warning> out = new HashMap<>();
        for (SupervisionItem i : items) {
            Warning w = p.forItem(i.status, i.deadline, i.feedbackCycle, reports.getOrDefault(i.id, List.of()));
            if (w != null) {
                out.put(i.id, w);
            }
        }
        return out;
    }

    public Completion completion(WarningPolicy p, SupervisionItem item) {
        if (item.status != ItemStatus.COMPLETED || item.completedAt == null) {
            return null;
        }
        return p.completion(item.deadline, date(item.completedAt));
    }

    private LocalDate lastReportOrDispatch(Assignment a) {
        Instant at = reportClockStart(a.lastProgressAt, a.dispatchedAt);
        return at == null ? null : date(at);
    }

    /** Periodic reports are counted from the last report, or from when the unit received the item. */
    private static Instant reportClockStart(Instant lastProgress, Instant dispatched) {
        return lastProgress != null ? lastProgress : dispatched;
    }

    /** The first instant of a day in the office's zone: stored timestamps before it are earlier days. */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    private LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, zone);
    }
}
