package io.duban.common.web;

import io.duban.common.security.Caller;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Role;
import io.duban.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Who the service takes the caller for: what an integrator checks first when a token does not do
 * what they expect. The same answer from every service, because they all resolve callers alike.
 */
@Path("/api/v1/caller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service", description = "服务信息")
@SecurityRequirement(name = "jwt")
public class CallerResource {

    /**
     * @param username   the token's subject
     * @param roles      the roles of ours the token holds, most powerful first
     * @param roleLabels their names in Chinese
     * @param unitCode   the handler's unit, or null
     * @param seesAll    whether the caller sees every unit's items (the office, leaders, services)
     */
    public record CallerView(String username, List<Role> roles, List<String> roleLabels, String unitCode,
            boolean seesAll) {
    }

    private final CurrentCaller caller;

    public CallerResource(CurrentCaller caller) {
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "当前调用者", description = "令牌的主体、角色和所属单位，按本服务的理解。")
    public CallerView currentCaller() {
        Caller c = caller.get();
        List<Role> roles = Arrays.stream(Role.values()).filter(c::is).toList();
        return new CallerView(c.username(), roles, roles.stream().map(Role::label).toList(), c.unitCode(),
                c.seesAll());
    }
}
