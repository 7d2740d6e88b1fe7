package io.duban.task.calendar;

import io.duban.common.calendar.CalendarDay;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.observe.AfterCommit;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.common.web.Etags;
import io.duban.task.domain.CalendarEntry;
import io.duban.task.domain.CalendarYear;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The office's working-day calendar: the imported years and the calculator built from them. An
 * import ({@link io.duban.task.service.CalendarImport}) replaces a year here and recomputes deadlines.
 *
 * The calculator is cached and rebuilt after a local import; other instances of the service pick a
 * change up within {@link #REFRESH} (the calendar changes a few times a year).
 */
@ApplicationScoped
public class CalendarService {

    static final Duration REFRESH = Duration.ofSeconds(60);

    private final Clock clock;
    private final AfterCommit afterCommit;
    private volatile Cached cached;

    /**
     * `revision` changes whenever any year is imported: caches of computed answers key on it.
     * `loadedAt` is a monotonic reading (System.nanoTime): the cache's age is not office time.
     */
    private record Cached(WorkingDayCalculator calculator, long revision, long loadedAt) {
    }

    public CalendarService(Clock clock, AfterCommit afterCommit) {
        this.clock = clock;
        this.afterCommit = afterCommit;
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
        if (c == null || System.nanoTime() - c.loadedAt > REFRESH.toNanos()) {
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
        return new Cached(new WorkingDayCalculator(years), revision * 31 + years.size(), System.nanoTime());
    }

    /** An imported year and its version (its ETag). */
    public record Stored(HolidayCnFormat.Year year, long version) {
    }

    public Optional<Stored> year(int year) {
        CalendarYear y = CalendarYear.findById(year);
        if (y == null) {
            return Optional.empty();
        }
        List<CalendarDay> days = CalendarEntry.<CalendarEntry>list("year", Sort.by("date"), year).stream()
                .map(e -> new CalendarDay(e.date, e.name, e.offDay)).toList();
        return Optional.of(new Stored(new HolidayCnFormat.Year(year, y.papers == null ? List.of() : y.papers, days), y.version));
    }

    /**
     * Replaces a year with the given arrangement, inside the caller's transaction, and returns the
     * calculator of the new calendar. Only a committed calendar serves other requests: the cache
     * takes it when the transaction commits, and forgets it when it rolls back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WorkingDayCalculator replaceYear(HolidayCnFormat.Year parsed, Caller caller, String ifMatch) {
        int year = parsed.year();
        // Locked first, so that of two imports of one year the second checks If-Match against the first's result.
        CalendarYear y = CalendarYear.findById(year, LockModeType.PESSIMISTIC_WRITE);
        if (ifMatch != null && !ifMatch.isBlank()) {
            if (y == null) {
                throw new ProblemException(412, "precondition-failed", "—");
            }
            Etags.requireMatch(ifMatch, y.version);
        }
        if (y != null) {
            // Every import is a new version of the year, even one of the same days.
            CalendarYear.getEntityManager().lock(y, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        }
        CalendarEntry.delete("year", year);
        if (y == null) {
            y = new CalendarYear();
            y.year = year;
        }
        y.papers = parsed.papers();
        y.importedBy = caller.username();
        y.importedAt = clock.instant();
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
        afterCommit.run(() -> cached = fresh);
        return fresh.calculator;
    }
}
