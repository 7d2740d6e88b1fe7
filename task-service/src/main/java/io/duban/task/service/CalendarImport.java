package io.duban.task.service;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.task.calendar.CalendarService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Importing a year of the working-day calendar (admin): malformed input is refused with 422 before
 * anything is touched; then, in one transaction, the year is replaced and every item in handling
 * whose deadline is a working-day rule is recomputed ({@link LifecycleService#recomputeDeadlines}).
 */
@ApplicationScoped
public class CalendarImport {

    private final CalendarService calendar;
    private final LifecycleService lifecycle;

    public CalendarImport(CalendarService calendar, LifecycleService lifecycle) {
        this.calendar = calendar;
        this.lifecycle = lifecycle;
    }

    /** The result of an import: the stored year and how many items had their deadline moved. */
    public record Imported(HolidayCnFormat.Year year, int recomputedItems) {
    }

    @Transactional
    public Imported importYear(int year, String json, Caller caller, String ifMatch) {
        HolidayCnFormat.Year parsed;
        try {
            parsed = HolidayCnFormat.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(422, "calendar-invalid", e.getMessage());
        }
        if (parsed.year() != year) {
            throw ProblemException.invalid("year", "field.calendarYear", year);
        }
        WorkingDayCalculator fresh = calendar.replaceYear(parsed, caller, ifMatch);
        return new Imported(parsed, lifecycle.recomputeDeadlines(fresh, caller));
    }
}
