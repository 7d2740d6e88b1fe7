package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.system.support.Api;
import io.duban.system.support.OtlpReceiver;
import io.duban.system.support.Pipeline;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace across the packaged services as processes, exported over OTLP/HTTP to a receiver this test
 * runs: a dispatch sent to task-service with a caller's traceparent, the relay's delivery of its event,
 * and notification-service's intake and reminder planning all carry the caller's trace id, each span
 * the child of the one before it.
 */
class TraceAcrossServicesTest {

    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = Path.of(System.getProperty("duban.build.dir", "target")).resolve("traces");
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private static OtlpReceiver receiver;
    private static ServiceProcess notification;
    private static ServiceProcess task;
    private static Api api;

    @BeforeAll
    static void startBothExportingToTheReceiver() throws Exception {
        receiver = new OtlpReceiver();
        Map<String, String> otlp = Map.of(
                "DUBAN_OTLP_ENDPOINT", receiver.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.2S");
        TestDatabase db = TestDatabase.forModule("traces").prepare();
        notification = ServiceProcess.prepare(ROOT, "notification-service", db.jdbcUrl("notification"), otlp, LOGS)
                .start(true);
        Map<String, String> taskEnv = Pipeline.relayTo(ROOT, notification);
        taskEnv.putAll(otlp);
        task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"), taskEnv, LOGS).start(true);
        api = Api.of(task);
    }

    @AfterAll
    static void stopAll() {
        ServiceProcess.closeAll(task, notification);
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aDispatchItsDeliveryAndTheNotificationServicesWorkAreOneTrace() throws Exception {
        List<String> units = Pipeline.units(api, 1);
        String id = Pipeline.jsonId(api.post(DevTokens.supervisor(), "/api/v1/tasks",
                Pipeline.item(units, LocalDate.now().plusDays(30)), 201));
        String traceId = hex(16);
        String caller = hex(8);
        String path = "/api/v1/tasks/" + id + "/dispatch";
        Api.Answer dispatched = api.call(DevTokens.supervisor(), "POST", path, null,
                Map.of("traceparent", "00-" + traceId + "-" + caller + "-01"));
        assertEquals(200, dispatched.status(), path + ": " + dispatched.body());

        OtlpReceiver.Span action = await("task-service's span of the dispatch", s -> s.traceId().equals(traceId)
                && "task-service".equals(s.service()) && s.parentSpanId().equals(caller));
        OtlpReceiver.Span delivery = await("the relay's send span", s -> s.traceId().equals(traceId)
                && "task-service".equals(s.service()) && s.name().equals("outbox send"));
        OtlpReceiver.Span intake = await("notification-service's intake span", s -> s.traceId().equals(traceId)
                && "notification-service".equals(s.service()) && s.parentSpanId().equals(delivery.spanId()));
        OtlpReceiver.Span planning = await("the reminders planned", s -> s.traceId().equals(traceId)
                && "notification-service".equals(s.service()) && s.name().equals("plan reminders"));

        assertTrue(action.name().contains("/api/v1/tasks/{id}/dispatch"), action.name());
        assertEquals(action.spanId(), delivery.parentSpanId(), "the delivery is a child of the action's span");
        assertTrue(intake.name().contains("/api/v1/events"), intake.name());
        assertEquals(intake.spanId(), planning.parentSpanId(), "the planning happens inside the intake");
    }

    private static OtlpReceiver.Span await(String what, Predicate<OtlpReceiver.Span> condition) throws InterruptedException {
        Instant limit = Instant.now().plus(LIMIT);
        while (true) {
            Optional<OtlpReceiver.Span> found = receiver.spans().stream().filter(condition).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(limit)) {
                throw new AssertionError("not exported: " + what + "; spans received: " + receiver.spans().size()
                        + "\ntask-service log:\n" + task.logTail() + "\nnotification-service log:\n" + notification.logTail());
            }
            Thread.sleep(50);
        }
    }
}
