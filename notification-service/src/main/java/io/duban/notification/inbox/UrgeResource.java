package io.duban.notification.inbox;

import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.security.Roles;
import io.duban.notification.calendar.OfficeCalendar;
import io.duban.notification.calendar.WorkingDays;
import io.duban.notification.calendar.WorkingHours;
import io.duban.notification.reminders.PolicyStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The office's view of its urges (催办) that the units have not acknowledged yet. */
@Path("/api/v1/urges")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inbox", description = "站内信：提醒、督办升级与催办")
@SecurityRequirement(name = "jwt")
public class UrgeResource {

    private final Inbox inbox;
    private final PolicyStore policies;
    private final OfficeCalendar calendar;
    private final Clock clock;

    public UrgeResource(Inbox inbox, PolicyStore policies, OfficeCalendar calendar, Clock clock) {
        this.inbox = inbox;
        this.policies = policies;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** An urge still waiting, and how long it has waited in office hours of working days. */
    @Schema(name = "WaitingUrge")
    public record WaitingUrge(Notice urge,
            @Schema(description = "Minutes of office hours on working days since the urge was sent") long waitedWorkingMinutes) {
    }

    @GET
    @Path("/unacknowledged")
    @RolesAllowed({ Roles.SUPERVISOR, Roles.LEADER })
    @Operation(summary = "Urges the units have not acknowledged, the longest waiting first",
            description = "waitedWorkingMinutes counts only office hours (the reminder policy's) on working days (the "
                    + "office calendar): an urge sent on Friday afternoon before 国庆 has not waited through the holiday. "
                    + "Paged by an opaque cursor: pass `nextCursor` back as `cursor`.")
    @APIResponse(responseCode = "200", description = "A page of the waiting urges")
    public Page<WaitingUrge> listUnacknowledgedUrges(
            @QueryParam("limit") @Parameter(description = "1..500, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        int n = Cursors.limit(limit, 100, 500);
        Instant now = clock.instant();
        WorkingHours hours = policies.current().policy().officeHours(calendar.zone());
        WorkingDays days = calendar.workingDays();
        Page<Notice> page = inbox.unacknowledgedUrges(n, cursor);
        return new Page<>(page.items().stream()
                .map(u -> new WaitingUrge(u, hours.between(u.createdAt().toInstant(), now, days::isWorkingDay).toMinutes()))
                .toList(), page.nextCursor(), n);
    }
}
