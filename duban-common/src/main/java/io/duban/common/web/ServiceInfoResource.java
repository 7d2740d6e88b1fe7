package io.duban.common.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Which service answers and, in plain words for the people who call it, what it offers today. Every
 * service has it; it needs no token and touches no data.
 */
@Path("/api/v1/service-info")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service", description = "服务信息")
public class ServiceInfoResource {

    /** The service's statement about itself (`duban.service.status`). */
    @ConfigMapping(prefix = "duban.service")
    public interface ServiceConfig {
        @WithDefault("已提供")
        String status();
    }

    /**
     * @param service the service's name
     * @param status  what it offers today, in Chinese
     */
    public record ServiceInfo(String service, String status) {
    }

    private final ServiceInfo info;

    public ServiceInfoResource(@ConfigProperty(name = "quarkus.application.name") String service, ServiceConfig config) {
        this.info = new ServiceInfo(service, config.status());
    }

    @GET
    @PermitAll
    @Operation(summary = "服务信息", description = "服务名称及当前已提供的功能范围。")
    public ServiceInfo serviceInfo() {
        return info;
    }
}
