package io.duban.task.rest;

import io.duban.common.idempotency.IdempotentPosts;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import io.duban.task.api.PersonPatch;
import io.duban.task.api.PersonRequest;
import io.duban.task.api.PersonView;
import io.duban.task.api.UnitPatch;
import io.duban.task.api.UnitRequest;
import io.duban.task.api.UnitView;
import io.duban.task.domain.Person;
import io.duban.task.domain.Unit;
import io.duban.task.service.DirectoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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
import java.util.UUID;
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
            description = "Ordered by code, retired units included unless `active` is given. Paged by an opaque cursor: pass "
                    + "`nextCursor` back as `cursor` with the same filter.")
    public Page<UnitView> listUnits(@QueryParam("parent") String parent,
            @QueryParam("active") @Parameter(description = "true: units that can be assigned; false: retired ones") Boolean active,
            @QueryParam("limit") @Parameter(description = "1..500, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        return directory.units(parent, active, limit, cursor);
    }

    @GET
    @Path("/units/{code}")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "One unit",
            description = "Any signed-in caller may read the directory of units.")
    @APIResponse(responseCode = "200", description = "The unit; its ETag names its version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnitView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version")
    public RestResponse<UnitView> getUnit(@PathParam("code") String code,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Unit u = directory.findUnit(code).orElseThrow(() -> ProblemException.notFound("unit", code));
        return Etags.answer(UnitView.of(u), Etags.of(u.version), ifNoneMatch);
    }

    @PATCH
    @Path("/units/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change a unit (修改单位、停用单位)",
            description = "Requires If-Match (428 without it, 412 when stale). Omitted fields stay as they are; an empty "
                    + "string clears shortName, parentCode, contactEmail or phone. The code never changes. "
                    + "`active: false` retires the unit (it can no longer be assigned): 409 unit-busy while it holds "
                    + "open or planned assignments.")
    @APIResponse(responseCode = "200", description = "The unit as it now is, with its new ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnitView.class)))
    public RestResponse<UnitView> updateUnit(@PathParam("code") String code, @Valid @NotNull UnitPatch body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Unit u = directory.patchUnit(code, body, ifMatch);
        return Etags.answer(UnitView.of(u), Etags.of(u.version), null);
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
            description = "Not for handlers: the directory of people holds contact details. Ordered by unit and "
                    + "username, those who have left included unless `active` is given. Paged by an opaque cursor: pass "
                    + "`nextCursor` back as `cursor` with the same filter.")
    public Page<PersonView> listPeople(@QueryParam("unit") String unit,
            @QueryParam("active") @Parameter(description = "true: people in post; false: those who have left") Boolean active,
            @QueryParam("limit") @Parameter(description = "1..500, default 100") Integer limit,
            @QueryParam("cursor") @Parameter(description = "the nextCursor of the previous page") String cursor) {
        return directory.people(unit, active, limit, cursor);
    }

    @GET
    @Path("/people/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.SERVICE })
    @Operation(summary = "One person", description = "Not for handlers, as the list.")
    @APIResponse(responseCode = "200", description = "The person; the ETag names their version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PersonView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version")
    public RestResponse<PersonView> getPerson(@PathParam("id") UUID id,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Person p = directory.findPerson(id).orElseThrow(() -> ProblemException.notFound("person", id));
        return Etags.answer(PersonView.of(p), Etags.of(p.version), ifNoneMatch);
    }

    @PATCH
    @Path("/people/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change a person (修改人员、人员离岗)",
            description = "Requires If-Match (428 without it, 412 when stale). Omitted fields stay as they are; an empty "
                    + "string clears title, email or phone. The username never changes. A new unit must be active. "
                    + "`active: false` records that the person has left: kept in the records, sent no reminders.")
    @APIResponse(responseCode = "200", description = "The person as they now are, with the new ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PersonView.class)))
    public RestResponse<PersonView> updatePerson(@PathParam("id") UUID id, @Valid @NotNull PersonPatch body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Person p = directory.patchPerson(id, body, ifMatch);
        return Etags.answer(PersonView.of(p), Etags.of(p.version), null);
    }
}
