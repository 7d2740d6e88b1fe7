package io.duban.notification.reminders;

import io.duban.common.problem.ProblemException;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The reminder policy (提醒策略). */
@Path("/api/v1/reminder-policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reminders", description = "提醒策略与督办升级")
@SecurityRequirement(name = "jwt")
public class ReminderPolicyResource {

    private final ReminderPolicyService policies;
    private final CurrentCaller caller;

    public ReminderPolicyResource(ReminderPolicyService policies, CurrentCaller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR })
    @Operation(summary = "The reminder policy in force",
            description = "Version 0 is the defaults: 3 and 1 working days before the deadline, on the deadline day, each "
                    + "working day while overdue, not accepted within 1 working day, late progress reports, escalation "
                    + "HANDLER +1, UNIT_HEAD +2, LEADER +3, OFFICE +5 working days, office hours 09:00-17:30. "
                    + "ETag; If-None-Match answers 304.")
    @APIResponse(responseCode = "200", description = "The policy")
    public RestResponse<ReminderPolicyService.View> getReminderPolicy(
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        ReminderPolicyService.View view = policies.current();
        if (Etags.matches(ifNoneMatch, view.etag())) {
            return RestResponse.ResponseBuilder.<ReminderPolicyService.View>notModified()
                    .header(HttpHeaders.ETAG, view.etag()).build();
        }
        return RestResponse.ResponseBuilder.ok(view).header(HttpHeaders.ETAG, view.etag()).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the reminder policy",
            description = "Every field is required. The reminders of every open assignment are planned again at once; "
                    + "reminders already sent stay sent and are never sent again. If-Match (the ETag of GET) guards "
                    + "against overwriting another admin's change (412).")
    @APIResponse(responseCode = "200", description = "The new policy")
    public RestResponse<ReminderPolicyService.View> putReminderPolicy(
            @RequestBody(required = true) ReminderPolicy body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (body == null) {
            throw ProblemException.invalid("body", "field.required");
        }
        ReminderPolicyService.View view = policies.replace(body, ifMatch, caller.get());
        return RestResponse.ResponseBuilder.ok(view).header(HttpHeaders.ETAG, view.etag()).build();
    }
}
