package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.client.task.ApiClient;
import io.duban.client.task.ApiException;
import io.duban.client.task.api.DirectoryApi;
import io.duban.client.task.api.ItemsApi;
import io.duban.client.task.model.AssignmentStatus;
import io.duban.client.task.model.Item;
import io.duban.client.task.model.ItemRequest;
import io.duban.client.task.model.ItemStatus;
import io.duban.client.task.model.PageTimelineView;
import io.duban.client.task.model.Priority;
import io.duban.client.task.model.Problem;
import io.duban.client.task.model.ProblemErrorsInner;
import io.duban.client.task.model.Progress;
import io.duban.client.task.model.Rating;
import io.duban.client.task.model.Review;
import io.duban.client.task.model.ReviewDecision;
import io.duban.client.task.model.SourceType;
import io.duban.client.task.model.Submit;
import io.duban.client.task.model.TimelineView;
import io.duban.client.task.model.UnitRequest;
import io.duban.client.task.model.UnitView;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client conformance check: a Java client generated at build time from the OpenAPI document that
 * task-service publishes drives the packaged service. Every call goes through the generated client,
 * so a path, parameter, header or body the document describes wrongly breaks the build here.
 */
class TaskServiceGeneratedClientTest {

    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path BUILD_DIR = Path.of(System.getProperty("duban.build.dir", "target"));
    private static final ObjectMapper JSON = ApiClient.createDefaultObjectMapper();

    private static ServiceProcess service;

    @BeforeAll
    static void startPackagedService() {
        service = ServiceProcess.prepare(ROOT, "task-service",
                TestDatabase.forModule("system-tests").prepare().jdbcUrl("task"), Map.of(),
                BUILD_DIR.resolve("system-tests")).start(true);
    }

    @AfterAll
    static void stopPackagedService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void generatedClientRunsAShortLifecycle() throws ApiException {
        DirectoryApi admin = new DirectoryApi(client(ADMIN));
        String lead = newUnit(admin, "L");
        String assist = newUnit(admin, "A");
        UnitView leadUnit = admin.getUnit(lead, null);
        assertEquals(lead, leadUnit.getCode());
        assertEquals(Boolean.TRUE, leadUnit.getActive());

        ItemsApi supervisor = new ItemsApi(client(SUPERVISOR));
        var created = supervisor.createItemWithHttpInfo(new ItemRequest()
                .title("关于推进老旧小区改造工作的批示")
                .description("请牵头单位会同协办单位于期限内完成改造方案并报督查室。")
                .sourceType(SourceType.LEADER_INSTRUCTION)
                .priority(Priority.URGENT)
                .deadline(LocalDate.now().plusDays(30))
                .leadUnit(lead)
                .assistUnits(List.of(assist)), "system-test-" + UUID.randomUUID());
        assertEquals(201, created.getStatusCode());
        Item draft = created.getData();
        assertEquals(ItemStatus.DRAFT, draft.getStatus());
        assertEquals("草稿", draft.getStatusLabel());
        UUID id = draft.getId();
        String etag = header(created.getHeaders().get("ETag"));
        assertNotNull(etag, "POST /api/v1/tasks answers an ETag");
        assertEquals("/api/v1/tasks/" + id, header(created.getHeaders().get("Location")));

        assertEquals(ItemStatus.ACTIVE, supervisor.dispatchItem(id, etag, null).getStatus());

        ItemsApi leadHandler = new ItemsApi(client(handler(lead)));
        ItemsApi assistHandler = new ItemsApi(client(handler(assist)));
        Item accepted = leadHandler.acceptAssignment(id, lead, null, null);
        assertEquals(AssignmentStatus.IN_PROGRESS, accepted.getAssignments().get(0).getStatus());
        assistHandler.acceptAssignment(id, assist, null, null);

        Item assistDone = assistHandler.submitAssignment(id, assist, new Submit().summary("协办部分已完成。"), null, null);
        assertEquals(AssignmentStatus.SUBMITTED, assistDone.getAssignments().get(0).getStatus());

        Item reported = leadHandler.reportProgress(id, lead,
                new Progress().content("改造方案已形成，正在征求意见。").percent(80).nextSteps("印发实施"), null, null);
        assertEquals(80, reported.getAssignments().get(0).getProgressPercent());
        assertNotNull(reported.getWarning(), "an item in handling has a light");

        Item submitted = leadHandler.submitAssignment(id, lead, new Submit().summary("改造方案已印发实施。"), null, null);
        assertEquals(ItemStatus.PENDING_REVIEW, submitted.getStatus());

        Item completed = supervisor.reviewItem(id,
                new Review().decision(ReviewDecision.APPROVE).rating(Rating.GOOD).comment("按期完成"), null, null);
        assertAll(
                () -> assertEquals(ItemStatus.COMPLETED, completed.getStatus()),
                () -> assertEquals(Rating.GOOD, completed.getRating()),
                () -> assertEquals(Boolean.TRUE, completed.getCompletedOnTime()),
                () -> assertTrue(completed.getCompletion().getOnTime()));
        assertEquals(ItemStatus.COMPLETED, supervisor.getItem(id, null).getStatus());

        List<TimelineView> timeline = supervisor.getTimeline(id, null, null).getItems();
        // The same history through the client's paging, two entries a page.
        List<TimelineView> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            PageTimelineView page = supervisor.getTimeline(id, cursor, 2);
            paged.addAll(page.getItems());
            cursor = page.getNextCursor();
        } while (cursor != null);
        assertEquals(timeline, paged);
        assertEquals(List.of("CREATE", "DISPATCH", "ACCEPT", "ACCEPT", "SUBMIT", "REPORT_PROGRESS", "SUBMIT", "SUBMIT",
                "APPROVE"), timeline.stream().map(TimelineView::getAction).toList());
        TimelineView approval = timeline.get(timeline.size() - 1);
        assertAll(
                () -> assertNotNull(approval.getOccurredAt()),
                () -> assertEquals("system-test-supervisor", approval.getActor()),
                () -> assertFalse(approval.getActionLabel() == null || approval.getActionLabel().isBlank()),
                () -> assertEquals("COMPLETED", approval.getAfter().get("status")));
    }

    @Test
    void badInputThroughTheGeneratedClientSurfacesAsAProblemDocument() throws ApiException {
        DirectoryApi admin = new DirectoryApi(client(ADMIN));
        ApiException badCode = assertThrows(ApiException.class,
                () -> admin.createUnit(new UnitRequest().code("not a code").name("格式错误的单位"), null));
        Problem problem = problem(badCode);
        assertEquals("validation", problem.getCode().getValue());
        assertTrue(fields(problem).contains("code"), () -> "errors name the field: " + problem);
        assertTrue(admin.listUnits(null, null, 500, null).getItems().stream().noneMatch(u -> "not a code".equals(u.getCode())),
                "a refused unit is not created");

        String lead = newUnit(admin, "B");
        ItemsApi supervisor = new ItemsApi(client(SUPERVISOR));
        ApiException sameUnitTwice = assertThrows(ApiException.class, () -> supervisor.createItem(new ItemRequest()
                .title("主办单位同时列为协办单位")
                .sourceType(SourceType.OTHER)
                .deadline(LocalDate.now().plusDays(10))
                .leadUnit(lead)
                .assistUnits(List.of(lead)), null));
        Problem conflict = problem(sameUnitTwice);
        assertTrue(fields(conflict).contains("assistUnits[0]"), () -> "errors name the field: " + conflict);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstItem() throws ApiException {
        String lead = newUnit(new DirectoryApi(client(ADMIN)), "I");
        ItemsApi supervisor = new ItemsApi(client(SUPERVISOR));
        ItemRequest request = new ItemRequest()
                .title("市政府办公厅交办：重点项目审批提速")
                .sourceType(SourceType.SUPERIOR_ASSIGNMENT)
                .deadline(LocalDate.now().plusDays(20))
                .leadUnit(lead)
                .externalSystem("OA")
                .externalRef("OA-" + UUID.randomUUID());
        String key = "oa-" + UUID.randomUUID();
        var first = supervisor.createItemWithHttpInfo(request, key);
        var retry = supervisor.createItemWithHttpInfo(request, key);
        assertEquals(201, first.getStatusCode());
        assertEquals(201, retry.getStatusCode());
        assertEquals(first.getData().getId(), retry.getData().getId());
        assertEquals(first.getData().getNumber(), retry.getData().getNumber());
        assertEquals("true", header(retry.getHeaders().get("Idempotent-Replayed")));
        assertEquals(request.getExternalRef(), retry.getData().getExternalRef());
    }

    private static final String ADMIN = DevTokens.token("system-test-admin", "admin", null);
    private static final String SUPERVISOR = DevTokens.token("system-test-supervisor", "supervisor", "DCS");

    private static String handler(String unit) {
        return DevTokens.token("system-test-handler-" + unit.toLowerCase(), "handler", unit);
    }

    /** A client of the running service that sends the caller's bearer token with every request. */
    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(service.baseUri());
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private static String newUnit(DirectoryApi admin, String prefix) throws ApiException {
        String code = prefix + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36).toUpperCase();
        UnitRequest request = new UnitRequest().code(code).name("系统测试单位" + code)
                .contactEmail(code.toLowerCase() + "@example.gov.cn");
        String key = "st-" + code;
        var created = admin.createUnitWithHttpInfo(request, key);
        assertEquals(201, created.getStatusCode());
        assertEquals(code, created.getData().getCode());
        // The generated client takes the Idempotency-Key: its retry gets the first answer, not a 409 for a taken code.
        var retried = admin.createUnitWithHttpInfo(request, key);
        assertEquals(201, retried.getStatusCode());
        assertEquals(List.of("true"), retried.getHeaders().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Idempotent-Replayed")).map(Map.Entry::getValue).findFirst().orElse(null));
        assertEquals(created.getData(), retried.getData());
        return code;
    }

    /** A refusal as the client surfaces it: 400 or 422 with an RFC 9457 body that agrees with the status. */
    private static Problem problem(ApiException e) {
        assertTrue(e.getCode() == 400 || e.getCode() == 422, () -> "bad input is 400 or 422, was " + e.getCode());
        assertNotNull(e.getResponseHeaders(), "the refusal came from the service, not from the client");
        String contentType = e.getResponseHeaders().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/problem+json"), () -> "problem+json, was " + contentType);
        Problem problem;
        try {
            problem = JSON.readValue(e.getResponseBody(), Problem.class);
        } catch (IOException parse) {
            throw new AssertionError("the problem body is not a Problem document: " + e.getResponseBody(), parse);
        }
        assertAll(
                () -> assertEquals(e.getCode(), problem.getStatus()),
                () -> assertTrue(problem.getType().toString().endsWith("/" + problem.getCode().getValue()), "type"),
                () -> assertFalse(problem.getTitle().isBlank(), "title"),
                () -> assertFalse(problem.getDetail().isBlank(), "detail"));
        return problem;
    }

    private static List<String> fields(Problem problem) {
        return problem.getErrors().stream().map(ProblemErrorsInner::getField).toList();
    }

    private static String header(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
