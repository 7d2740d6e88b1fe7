package io.duban.task.calendar;

import io.duban.task.domain.AssignmentStatus;
import io.duban.task.domain.CalendarEntry;
import io.duban.task.domain.CalendarYear;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.EventType;
import io.duban.task.domain.ItemStatus;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineAction;
import io.duban.task.problem.ProblemException;
import io.duban.task.security.Caller;
import io.duban.task.service.History;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The office's working-day calendar: the imported years, the calculator built from them, and the
 * recomputation of working-day deadlines when a year changes.
 *
 * The calculator is cached and rebuilt after a local import; other instances of the service pick a
 * change up within {@link #REFRESH} (the calendar changes a few times a year).
 */
@ApplicationScoped
public class CalendarService {

    static final Duration REFRESH = Duration.ofSeconds(60);

    private final Clock clock;
    private final History history;
    private final TransactionSynchronizationRegistry transactions;
    private volatile Cached cached;

    /** `revision` changes whenever any year is imported: caches of computed answers key on it. */
    private record Cached(WorkingDayCalculator calculator, long revision, Instant loadedAt) {
    }

    public CalendarService(Clock clock, History history, TransactionSynchronizationRegistry transactions) {
        this.clock = clock;
        this.history = history;
        this.transactions = transactions;
    }

    public WorkingDayCalculator calculator() {
        return current().calculator;
    }

    /** Changes whenever a year is imported or replaced. */
    public long revision() {
        return current().revision;
    }

    private Cached current() {
        Cached c = cached;
        if (c == null || c.loadedAt.plus(REFRESH).isBefore(Instant.now())) {
            c = load();
            cached = c;
        }
        return c;
    }

    private static Cached load() {
        Map<Integer, List<CalendarDay>> years = new HashMap<>();
        long revision = 0;
        for (CalendarYear y : CalendarYear.<CalendarYear>listAll()) {
            years.put(y.year, new ArrayList<>());
            revision = Math.max(revision, y.importedAt.toEpochMilli());
        }
        for (CalendarEntry e : CalendarEntry.<CalendarEntry>listAll(Sort.by("date"))) {
            years.get(e.year).add(new CalendarDay(e.date, e.name, e.offDay));
        }
        return new Cached(new WorkingDayCalculator(years), revision * 31 + years.size(), Instant.now());
    }

    public Optional<HolidayCnFormat.Year> year(int year) {
        CalendarYear y = CalendarYear.findById(year);
        if (y == null) {
            return Optional.empty();
        }
        List<CalendarDay> days = CalendarEntry.<CalendarEntry>list("year", Sort.by("date"), year).stream()
                .map(e -> new CalendarDay(e.date, e.name, e.offDay)).toList();
        return Optional.of(new HolidayCnFormat.Year(year, y.papers == null ? List.of() : y.papers, days));
    }

    /** The result of an import: the stored year and how many open items had their deadline moved. */
    public record Imported(HolidayCnFormat.Year year, int recomputedItems) {
    }

    /**
     * Replaces a year with the given arrangement (holiday-cn JSON). Malformed input is refused with
     * 422 before anything is touched; then, in the same transaction, every open item whose deadline
     * was given in working days is recomputed and each move lands in its timeline.
     */
    @Transactional
    public Imported importYear(int year, String json, Caller caller) {
        HolidayCnFormat.Year parsed;
        try {
            parsed = HolidayCnFormat.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(422, "calendar-invalid", e.getMessage());
        }
        if (parsed.year() != year) {
            throw ProblemException.invalid("year", "field.calendarYear", year);
        }
        Instant now = clock.instant();
        CalendarEntry.delete("year", year);
        CalendarYear y = CalendarYear.findById(year);
        if (y == null) {
            y = new CalendarYear();
            y.year = year;
        }
        y.papers = parsed.papers();
        y.importedBy = caller.username();
        y.importedAt = now;
        y.persist();
        CalendarEntry.getEntityManager().flush();
        for (CalendarDay d : parsed.days()) {
            CalendarEntry e = new CalendarEntry();
            e.date = d.date();
            e.year = year;
            e.name = d.name();
            e.offDay = d.offDay();
            e.persist();
        }
        CalendarEntry.getEntityManager().flush();
        Cached fresh = load();
        int moved = recompute(fresh.calculator, caller, now);
        // Only a committed calendar may serve other requests; a rolled-back one is forgotten.
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    cached = fresh;
                }
            }
        });
        return new Imported(parsed, moved);
    }

    /**
     * Moves working-day deadlines of dispatched open items to what the new calendar gives; returns
     * how many moved. Drafts are left alone: dispatch counts their working days afresh anyway.
     */
    private int recompute(WorkingDayCalculator calendar, Caller caller, Instant now) {
        int moved = 0;
        List<SupervisionItem> items = SupervisionItem.list("deadlineWorkingDays is not null and status in ?1",
                List.of(ItemStatus.ACTIVE, ItemStatus.PENDING_REVIEW));
        for (SupervisionItem item : items) {
            WorkingDayCalculator.Result r = calendar.addWorkingDays(
                    LocalDate.ofInstant(item.dispatchedAt, clock.getZone()), item.deadlineWorkingDays);
            LocalDate old = item.originalDeadline;
            if (r.date().equals(old)) {
                item.deadlineCalendarComplete = r.calendarComplete();
                continue;
            }
            // An approved extension of the lead unit stays; only the rule-made date moves.
            boolean extended = !item.deadline.equals(old);
            item.originalDeadline = r.date();
            if (!extended) {
                item.deadline = r.date();
            }
            item.deadlineCalendarComplete = r.calendarComplete();
            item.updatedAt = now;
            List<Assignment> live = Assignment.list("itemId = ?1 and status not in ?2", item.id,
                    AssignmentStatus.GONE);
            for (Assignment a : live) {
                if (a.originalDeadline.equals(old)) {
                    a.originalDeadline = r.date();
                    if (a.deadline.equals(old)) {
                        a.deadline = r.date();
                    }
                    a.updatedAt = now;
                }
            }
            history.record(item, caller, TimelineAction.RECOMPUTE_DEADLINE, null, Map.of("deadline", old.toString()),
                    Map.of("deadline", r.date().toString(), "workingDays", item.deadlineWorkingDays), null, now);
            for (Assignment a : live) {
                history.emit(EventType.DEADLINE_CHANGED, item, a, caller,
                        Map.of("previousDeadline", old.toString(), "reason", "calendar"), now);
            }
            moved++;
        }
        return moved;
    }
}
