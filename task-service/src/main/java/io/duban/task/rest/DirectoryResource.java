package io.duban.task.rest;

import io.duban.common.idempotency.IdempotentPosts;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Roles;
import io.duban.task.api.PersonRequest;
import io.duban.task.api.PersonView;
import io.duban.task.api.UnitRequest;
import io.duban.task.api.UnitView;
import io.duban.task.service.DirectoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The directory: units (承办单位) and people. Administrators maintain it; everybody reads it. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Directory", description = "单位与人员")
@SecurityRequirement(name = "jwt")
public class DirectoryResource {

    private final DirectoryService directory;
    private final IdempotentPosts idempotent;

    public DirectoryResource(DirectoryService directory, IdempotentPosts idempotent) {
        this.directory = directory;
        this.idempotent = idempotent;
    }

    @POST
    @Path("/units")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a unit (新增单位)",
            description = "Codes are stable identifiers (capital letters, digits, underscore) that other systems keep.")
    @APIResponse(responseCode = "201", description = "The new unit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnitView.class)))
    public RestResponse<UnitView> createUnit(@Valid @NotNull UnitRequest body,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, UnitView.class, () -> {
            UnitView u = directory.createUnit(body);
            return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, u)
                    .header(HttpHeaders.LOCATION, "/api/v1/units/" + u.code()).build();
        });
    }

    @GET
    @Path("/units")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "List units, optionally the children of one unit",
            description = "Ordered by code.")
    public List<UnitView> listUnits(@QueryParam("parent") String parent) {
        return directory.units(parent);
    }

    @GET
    @Path("/units/{code}")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One unit",
            description = "Any signed-in caller may read the directory of units.")
    public UnitView getUnit(@PathParam("code") String code) {
        return directory.unit(code).orElseThrow(() -> ProblemException.notFound("unit", code));
    }

    @POST
    @Path("/people")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a person (新增人员)",
            description = "The username is the subject (sub) of the person's tokens.")
    @APIResponse(responseCode = "201", description = "The new person",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PersonView.class)))
    public RestResponse<PersonView> createPerson(@Valid @NotNull PersonRequest body,
            @HeaderParam(IdempotentPosts.HEADER) @Parameter(description = IdempotentPosts.DESCRIPTION) String key,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return idempotent.once(key, headers, uri, body, PersonView.class, () -> {
            PersonView p = directory.createPerson(body);
            return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, p)
                    .header(HttpHeaders.LOCATION, "/api/v1/people/" + p.id()).build();
        });
    }

    @GET
    @Path("/people")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.SERVICE })
    @Operation(summary = "List people, optionally of one unit",
            description = "Not for handlers: the directory of people holds contact details.")
    public List<PersonView> listPeople(@QueryParam("unit") String unit) {
        return directory.people(unit);
    }
}
