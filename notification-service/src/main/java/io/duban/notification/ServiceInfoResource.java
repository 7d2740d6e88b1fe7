package io.duban.notification;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The one endpoint of the notification-service skeleton: it says which service answers and, honestly,
 * that its features are not there yet. It needs no authentication and touches no data.
 */
@Path("/api/v1/service-info")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service", description = "服务信息")
public class ServiceInfoResource {

    static final String STATUS = "骨架：提醒、催办、站内信将在后续版本提供";

    private final String service;

    public ServiceInfoResource(@ConfigProperty(name = "quarkus.application.name") String service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "服务信息", description = "服务名称及当前已提供的功能范围。")
    public ServiceInfo info() {
        return new ServiceInfo(service, STATUS);
    }
}
