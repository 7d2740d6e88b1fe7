package io.duban.task.rest;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.time.OfficeDates;
import io.duban.common.web.Etags;
import io.duban.task.calendar.CalendarService;
import io.duban.task.service.CalendarImport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The working-day calendar (工作日历): the State Council's yearly arrangement of holidays and 调休
 * make-up days, in the public holiday-cn JSON shape, and deadlines counted in working days.
 */
@Path("/api/v1/calendar")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Calendar", description = "工作日历与工作日期限")
@SecurityRequirement(name = "jwt")
public class CalendarResource {

    /** Beyond this a question is a mistake, not a deadline. */
    static final int MAX_WORKING_DAYS = 2500;
    static final int MAX_RANGE_YEARS = 20;

    private final CalendarService calendar;
    private final CalendarImport imports;
    private final CurrentCaller caller;

    public CalendarResource(CalendarService calendar, CalendarImport imports, CurrentCaller caller) {
        this.calendar = calendar;
        this.imports = imports;
        this.caller = caller;
    }

    public record DeadlineAnswer(LocalDate from, int workingDays, LocalDate deadline, boolean calendarComplete,
            List<Integer> missingYears) {
    }

    public record CountAnswer(LocalDate from, LocalDate to, int workingDays, boolean calendarComplete,
            List<Integer> missingYears) {
    }

    public record ImportAnswer(int year, int days, int recomputedItems) {
    }

    /** The holiday-cn shape, as documentation: the body itself is parsed strictly by HolidayCnFormat. */
    @Schema(name = "CalendarYear", description = "A year's departures from Monday-Friday (holiday-cn format)")
    public record CalendarYearDocument(int year, List<String> papers, List<Day> days) {

        @Schema(name = "CalendarDay")
        public record Day(LocalDate date, String name,
                @Schema(description = "true: a holiday; false: a 调休 make-up workday (Saturday or Sunday)")
                boolean isOffDay) {
        }
    }

    @GET
    @Path("/deadline")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "The N-th working day after a date (the date itself is not counted)",
            description = "calendarComplete is false, and missingYears names the years, when the answer crossed a "
                    + "year with no imported calendar (counted as plain Monday-Friday).")
    public DeadlineAnswer computeDeadline(@QueryParam("from") @Parameter(required = true) LocalDate from,
            @QueryParam("workingDays") @Parameter(required = true, description = "0..2500") Integer workingDays) {
        if (from == null) {
            throw ProblemException.invalid("from", "field.required");
        }
        if (workingDays == null || workingDays < 0 || workingDays > MAX_WORKING_DAYS) {
            throw ProblemException.invalid("workingDays", "field.range", 0, MAX_WORKING_DAYS);
        }
        WorkingDayCalculator.Result r = calendar.calculator().addWorkingDays(from, workingDays);
        return new DeadlineAnswer(from, workingDays, r.date(), r.calendarComplete(), r.missingYears());
    }

    @GET
    @Path("/working-days")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "How many working days lie in [from, to], both ends included",
            description = "calendarComplete is false, and missingYears names the years, when the range crosses a year with no imported calendar.")
    public CountAnswer countWorkingDays(@QueryParam("from") @Parameter(required = true) LocalDate from,
            @QueryParam("to") @Parameter(required = true) LocalDate to) {
        if (from == null || to == null) {
            throw ProblemException.invalid(from == null ? "from" : "to", "field.required");
        }
        if (to.isBefore(from) || to.isAfter(from.plusYears(MAX_RANGE_YEARS))) {
            throw ProblemException.invalid("to", "field.dateRange", MAX_RANGE_YEARS);
        }
        WorkingDayCalculator.Count c = calendar.calculator().countWorkingDays(from, to);
        return new CountAnswer(from, to, c.days(), c.calendarComplete(), c.missingYears());
    }

    @GET
    @Path("/{year}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "A year's arrangement, in the shape PUT accepts",
            description = "404 when the year has not been imported: it is then counted as plain Monday-Friday. "
                    + "The ETag names the year's version (each import is one); If-None-Match answers 304.")
    @APIResponse(responseCode = "200", description = "The year in holiday-cn JSON",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CalendarYearDocument.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version")
    public RestResponse<CalendarYearDocument> getCalendarYear(@PathParam("year") int year,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        CalendarService.Stored stored = calendar.year(year).orElseThrow(() -> new ProblemException(404,
                "calendar-year-missing", year));
        HolidayCnFormat.Year y = stored.year();
        return Etags.answer(new CalendarYearDocument(y.year(), y.papers(),
                y.days().stream().map(d -> new CalendarYearDocument.Day(d.date(), d.name(), d.offDay())).toList()),
                Etags.of(stored.version()), ifNoneMatch);
    }

    @PUT
    @Path("/{year}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Import or replace a year (holiday-cn JSON: year, papers, days[date, name, isOffDay])",
            description = "Replaces the whole year. Open items whose deadline was given in working days are "
                    + "recomputed, each move recorded in the item's timeline. Malformed input: 422, nothing changed. "
                    + "With If-Match (the ETag of GET) only the version read is replaced: 412 when another import came "
                    + "first, or when the year was never imported.")
    public ImportAnswer putCalendarYear(@PathParam("year") int year,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CalendarYearDocument.class))) String body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (year < OfficeDates.MIN_YEAR || year > OfficeDates.MAX_YEAR) {
            throw ProblemException.invalid("year", "field.range", OfficeDates.MIN_YEAR, OfficeDates.MAX_YEAR);
        }
        CalendarImport.Imported done = imports.importYear(year, body == null ? "" : body, caller.get(), ifMatch);
        return new ImportAnswer(year, done.year().days().size(), done.recomputedItems());
    }
}
