package io.duban.common.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The HTTP server metrics as the dashboard reads them. Quarkus labels a request by its route template
 * ({@code /api/v1/items/{id}}), never by its path or query, and every unmatched path as
 * {@code NOT_FOUND}; the method is the client's own word, though, so a method the APIs do not use
 * becomes {@code OTHER}. Latency gets eleven histogram buckets (5 ms to 10 s), from which p50 and p99 per route
 * are computed in Prometheus.
 */
public class HttpMetricLabels {

    static final String HTTP_SERVER = "http.server.requests";
    /** Few buckets, so that every route's latency costs a dozen series, not the default seventy. */
    static final List<Long> BUCKETS_MS = List.of(5L, 10L, 25L, 50L, 100L, 250L, 500L, 1000L, 2500L, 5000L, 10000L);
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Produces
    @Singleton
    MeterFilter boundedHttpLabels() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server.")) {
                    return id;
                }
                String method = id.getTag("method");
                if (method == null || METHODS.contains(method)) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream()
                        .map(t -> t.getKey().equals("method") ? Tag.of("method", "OTHER") : t).toList());
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
}
