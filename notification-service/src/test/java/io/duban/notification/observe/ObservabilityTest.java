package io.duban.notification.observe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.events.Event;
import io.duban.notification.events.SampleEvents;
import io.duban.testing.DevTokens;
import io.duban.testing.Metrics;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.RecentSpans;
import io.duban.testing.SettableClock;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What notification-service shows of an event it is sent: the intake's span and the reminders and
 * notices it caused join the trace the relay's traceparent names; the applied-events counter, the
 * processing lag and the notices by kind move.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecentSpans spans;

    @Inject
    SettableClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Posts the event as the relay does, with its send span as traceparent, a few seconds after it occurred. */
    private void deliver(Event e, String traceId, String sendSpan, Duration late) {
        clock.pin(e.occurredAt().plus(late).atZoneSameInstant(SettableClock.ZONE).toLocalDateTime());
        given().auth().oauth2(DevTokens.service()).header("traceparent", "00-" + traceId + "-" + sendSpan + "-01")
                .contentType(ContentType.JSON).body(SampleEvents.json(e)).post("/api/v1/events").then().statusCode(200);
    }

    private SpanData span(String traceId, String name) {
        return spans.await(s -> s.getTraceId().equals(traceId) && s.getName().equals(name), WAIT);
    }

    @Test
    void theIntakeAndTheNoticeItCausesJoinTheRelaysTrace() {
        SampleEvents item = new SampleEvents();
        String dispatchTrace = hex(16);
        String dispatchSend = hex(8);
        deliver(item.dispatched("FGW"), dispatchTrace, dispatchSend, Duration.ofSeconds(2));
        String urgeTrace = hex(16);
        String urgeSend = hex(8);
        deliver(item.urged("FGW", 1), urgeTrace, urgeSend, Duration.ofSeconds(2));

        SpanData intake = spans.await(s -> s.getTraceId().equals(dispatchTrace) && s.getKind() == SpanKind.SERVER, WAIT);
        assertEquals(dispatchSend, intake.getParentSpanId(), "the intake is a child of the relay's send span");
        assertEquals(intake.getSpanId(), span(dispatchTrace, "plan reminders").getParentSpanId(),
                "the reminders planned for the dispatch, inside the intake");

        SpanData urgeIntake = spans.await(s -> s.getTraceId().equals(urgeTrace) && s.getKind() == SpanKind.SERVER, WAIT);
        assertEquals(urgeSend, urgeIntake.getParentSpanId());
        SpanData planned = span(urgeTrace, "plan reminders");
        assertEquals(planned.getSpanId(), span(urgeTrace, "notice created").getParentSpanId(),
                "the urge's notice, written while the event was applied, is in the same trace");
    }

    @Test
    void eachEventOfABatchJoinsTheTraceOfItsOwnSending() {
        SampleEvents first = new SampleEvents();
        SampleEvents second = new SampleEvents();
        String[] traces = {hex(16), hex(16)};
        String[] sends = {hex(8), hex(8)};
        Event a = first.dispatched("FGW");
        Event b = second.dispatched("JYJ");
        String body = "{\"events\":[{\"traceparent\":\"00-" + traces[0] + "-" + sends[0] + "-01\",\"event\":"
                + SampleEvents.json(a) + "},{\"traceparent\":\"00-" + traces[1] + "-" + sends[1] + "-01\",\"event\":"
                + SampleEvents.json(b) + "}]}";
        given().auth().oauth2(DevTokens.service()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/events/batch").then().statusCode(200);

        for (int i = 0; i < 2; i++) {
            SpanData applied = span(traces[i], "apply event");
            assertEquals(sends[i], applied.getParentSpanId(), "event " + i + " is applied as a child of its send span");
            assertEquals(applied.getSpanId(), span(traces[i], "plan reminders").getParentSpanId(),
                    "the reminders planned for event " + i + " are inside its own span");
            assertEquals(1, applied.getLinks().size(), "linked to the batch's request");
        }
    }

    @Test
    void appliedEventsTheirLagAndNoticesByKindAreCounted() {
        Metrics before = Metrics.scrape();
        SampleEvents item = new SampleEvents();
        Event dispatched = item.dispatched("FGW");
        deliver(dispatched, hex(16), hex(8), Duration.ofSeconds(3));
        deliver(item.urged("FGW", 1), hex(16), hex(8), Duration.ofSeconds(5));
        // A redelivery is not applied again, so it is not counted again.
        deliver(dispatched, hex(16), hex(8), Duration.ofSeconds(60));

        Metrics after = Metrics.scrape();
        assertEquals(before.value("duban_events_applied_total") + 2, after.value("duban_events_applied_total"));
        assertEquals(before.value("duban_events_processing_lag_seconds_count") + 2,
                after.value("duban_events_processing_lag_seconds_count"));
        assertEquals(before.value("duban_events_processing_lag_seconds_sum") + 8,
                after.value("duban_events_processing_lag_seconds_sum"), 0.001, "3 s and 5 s after they occurred");
        assertEquals(before.value("duban_events_processing_lag_seconds_bucket", Map.of("le", "5.0")) + 2,
                after.value("duban_events_processing_lag_seconds_bucket", Map.of("le", "5.0")));
        assertEquals(before.value("duban_notices_created_total", Map.of("kind", "URGE")) + 1,
                after.value("duban_notices_created_total", Map.of("kind", "URGE")));
        assertTrue(after.labelValues("duban_deliveries_failed_total", "channel").containsAll(
                java.util.Set.of("EMAIL", "SMS", "WEBHOOK")), "every channel is there from the start, at 0 or more");
    }

    @Test
    void noLabelValueCarriesWhatAClientSent() {
        // Run after the module's fuzzing and hardening tests: their paths and bodies never become labels.
        for (Metrics.Series series : Metrics.scrape().series()) {
            series.labels().forEach((label, value) -> assertTrue(value.length() <= 100,
                    "a long label value, something a client sent? " + series.name() + " " + label + "=" + value));
        }
    }
}
