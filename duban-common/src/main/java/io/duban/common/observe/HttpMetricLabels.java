package io.duban.common.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HTTP server metrics as the dashboard reads them. A request is labelled by its route template
 * ({@code /api/v1/items/{id}}), never by its path or query, and every other path as {@code NOT_FOUND}.
 * Quarkus does the templating for requests that reach a route, but a request refused before routing
 * (RequestGuard's 400 for a control character in the path, 413, 431; the 503 while draining) would be
 * labelled with the path as sent, so this filter keeps a {@code uri} only when it is one of the
 * service's JAX-RS route templates, a fixed {@code /q/} endpoint or one of Quarkus' own catch-alls.
 * The method is the client's own word too, so a method the APIs do not use becomes {@code OTHER}.
 * Latency gets eleven histogram buckets (5 ms to 10 s), from which p50 and p99 per route are computed
 * in Prometheus.
 */
public class HttpMetricLabels {

    static final String HTTP_SERVER = "http.server.requests";
    /** Few buckets, so that every route's latency costs a dozen series, not the default seventy. */
    static final List<Long> BUCKETS_MS = List.of(5L, 10L, 25L, 50L, 100L, 250L, 500L, 1000L, 2500L, 5000L, 10000L);
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final String UNMATCHED = "NOT_FOUND";
    /** The labels Quarkus gives requests without a template: no route, a redirect, "/", no path at all. */
    static final Set<String> CATCH_ALLS = Set.of(UNMATCHED, "REDIRECTION", "root", "UNKNOWN");
    /** Quarkus' own endpoints (/q/metrics, /q/health/ready, ...): fixed paths that unmatched ones never look like. */
    static final Pattern MANAGEMENT = Pattern.compile("/q(/[a-z][a-z0-9-]{0,30}){1,3}");

    @Produces
    @Singleton
    MeterFilter boundedHttpLabels(BeanManager beans) {
        return filter(routeTemplates(beans));
    }

    static MeterFilter filter(Set<String> routes) {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server.")) {
                    return id;
                }
                String method = id.getTag("method");
                String uri = id.getTag("uri");
                boolean knownMethod = method == null || METHODS.contains(method);
                boolean knownUri = uri == null || routes.contains(uri) || CATCH_ALLS.contains(uri)
                        || MANAGEMENT.matcher(uri).matches();
                if (knownMethod && knownUri) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream().map(t -> switch (t.getKey()) {
                    case "method" -> knownMethod ? t : Tag.of("method", "OTHER");
                    case "uri" -> knownUri ? t : Tag.of("uri", UNMATCHED);
                    default -> t;
                }).toList());
            }

            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_SERVER)) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(false)
                        .serviceLevelObjectives(BUCKETS_MS.stream().mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
                                .toArray())
                        .build().merge(config);
            }
        };
    }

    /** The route templates of the service's JAX-RS resources (all beans in Quarkus REST), as Quarkus writes them. */
    static Set<String> routeTemplates(BeanManager beans) {
        Set<String> routes = new HashSet<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            routes.addAll(routeTemplates(bean.getBeanClass()));
        }
        return Set.copyOf(routes);
    }

    /** A resource class's templates: its @Path joined with each method's, found on the class, its supertypes or interfaces. */
    static Set<String> routeTemplates(Class<?> resource) {
        Set<String> routes = new HashSet<>();
        Deque<Class<?>> types = new ArrayDeque<>(List.of(resource));
        Set<Class<?>> seen = new HashSet<>();
        String base = null;
        List<Method> methods = new ArrayList<>();
        while (!types.isEmpty()) {
            Class<?> type = types.pop();
            if (type == Object.class || !seen.add(type)) {
                continue;
            }
            Path path = type.getAnnotation(Path.class);
            if (base == null && path != null) {
                base = path.value();
            }
            methods.addAll(List.of(type.getDeclaredMethods()));
            if (type.getSuperclass() != null) {
                types.add(type.getSuperclass());
            }
            types.addAll(List.of(type.getInterfaces()));
        }
        if (base == null) {
            return routes;
        }
        routes.add(join(base, ""));
        for (Method m : methods) {
            Path path = m.getAnnotation(Path.class);
            if (path != null) {
                routes.add(join(base, path.value()));
            }
        }
        return routes;
    }

    /** "/api/v1/deliveries" and "{id}/retry" as Quarkus labels them: one slash between, none at the end, no regex. */
    static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
