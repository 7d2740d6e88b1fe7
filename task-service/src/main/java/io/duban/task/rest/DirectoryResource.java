package io.duban.task.rest;

import io.duban.task.api.PersonRequest;
import io.duban.task.api.PersonView;
import io.duban.task.api.UnitRequest;
import io.duban.task.api.UnitView;
import io.duban.task.problem.ProblemException;
import io.duban.task.security.Roles;
import io.duban.task.service.DirectoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The directory: units (承办单位) and people. Administrators maintain it; everybody reads it. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Directory", description = "单位与人员")
@SecurityRequirement(name = "jwt")
public class DirectoryResource {

    private final DirectoryService directory;

    public DirectoryResource(DirectoryService directory) {
        this.directory = directory;
    }

    @POST
    @Path("/units")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a unit (新增单位)")
    public Response createUnit(@Valid @NotNull UnitRequest body, UriInfo uri) {
        UnitView u = directory.createUnit(body);
        return Response.created(uri.getAbsolutePathBuilder().path(u.code()).build()).entity(u).build();
    }

    @GET
    @Path("/units")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "List units, optionally the children of one unit")
    public List<UnitView> units(@QueryParam("parent") String parent) {
        return directory.units(parent);
    }

    @GET
    @Path("/units/{code}")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One unit")
    public UnitView unit(@PathParam("code") String code) {
        return directory.unit(code).orElseThrow(() -> ProblemException.notFound("unit", code));
    }

    @POST
    @Path("/people")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a person (新增人员)")
    public Response createPerson(@Valid @NotNull PersonRequest body, UriInfo uri) {
        PersonView p = directory.createPerson(body);
        return Response.created(uri.getAbsolutePathBuilder().path(p.id().toString()).build()).entity(p).build();
    }

    @GET
    @Path("/people")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.SERVICE })
    @Operation(summary = "List people, optionally of one unit")
    public List<PersonView> people(@QueryParam("unit") String unit) {
        return directory.people(unit);
    }
}
