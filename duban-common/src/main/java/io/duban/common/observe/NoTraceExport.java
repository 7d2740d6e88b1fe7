package io.duban.common.observe;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Traces are made in every profile (their ids go into the logs and, as {@code traceparent}, from one
 * service to the next) but sent nowhere unless an OTLP endpoint is configured
 * ({@code DUBAN_OTLP_ENDPOINT}, which sets {@code quarkus.otel.exporter.otlp.endpoint}). Quarkus would otherwise export to localhost:4317 and
 * log every failed attempt. While this bean can be looked up, Quarkus drops its OTLP exporter; setting
 * the endpoint hides the bean, and the OTLP exporter takes over.
 */
@Singleton
@LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint", stringValue = "none", lookupIfMissing = true)
public class NoTraceExport implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
