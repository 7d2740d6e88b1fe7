package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.system.support.OtlpReceiver;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static OtlpReceiver receiver;
    private static ServiceProcess notification;
    private static ServiceProcess task;

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
        Map<String, String> taskEnv = new HashMap<>(otlp);
        taskEnv.put("DUBAN_RELAY_NOTIFICATION_URL", notification.baseUri());
        taskEnv.put("DUBAN_RELAY_SIGNING_KEY_LOCATION", ROOT.resolve("dev/jwt/privateKey.pem").toString());
        taskEnv.put("DUBAN_RELAY_INTERVAL", "1s");
        task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"), taskEnv, LOGS).start(true);
    }

    @AfterAll
    static void stopAll() {
        if (task != null) {
            task.close();
        }
        if (notification != null) {
            notification.close();
        }
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
        String unit = "T" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36).toUpperCase();
        send(DevTokens.admin(), "/api/v1/units", Map.of("code", unit, "name", "测试单位" + unit,
                "contactEmail", unit.toLowerCase() + "@example.gov.cn"), null, 201);
        Map<String, Object> item = new HashMap<>();
        item.put("title", "关于推进老旧小区改造工作的批示");
        item.put("sourceType", "LEADER_INSTRUCTION");
        item.put("priority", "URGENT");
        item.put("deadline", LocalDate.now().plusDays(30).toString());
        item.put("leadUnit", unit);
        item.put("assistUnits", List.of());
        item.put("feedbackCycle", "WEEKLY");
        String id = JSON.readTree(send(DevTokens.supervisor(), "/api/v1/tasks", item, null, 201)).path("id").asText();
        String traceId = hex(16);
        String caller = hex(8);
        send(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/dispatch", null, "00-" + traceId + "-" + caller + "-01", 200);

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

    private static String send(String token, String path, Object body, String traceparent, int expected) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(task.baseUri() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.POST(HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, r.statusCode(), path + ": " + r.body());
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
