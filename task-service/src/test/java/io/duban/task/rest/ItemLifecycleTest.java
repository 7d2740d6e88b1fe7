package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.domain.OutboxEvent;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.Pages;
import io.duban.testing.PostgresTestResource;
import io.quarkus.panache.common.Sort;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ItemLifecycleTest {

    private static final String SUP = "/api/v1/tasks/";

    @Test
    void itemWithLeadAndAssistUnitGoesFromDraftToCompleted() {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String leadToken = DevTokens.handler(lead);
        String assistToken = DevTokens.handler(assist);
        String sup = DevTokens.supervisor();

        String id = given().auth().oauth2(sup).contentType(ContentType.JSON).body(Fixture.item(lead, List.of(assist)))
                .post("/api/v1/tasks").then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/tasks/[0-9a-f-]{36}"))
                .header("ETag", notNullValue())
                .body("number", matchesPattern("DB-\\d{4}-\\d{4}"))
                .body("status", equalTo("DRAFT"))
                .body("statusLabel", equalTo("草稿"))
                .body("sourceTypeLabel", equalTo("领导批示"))
                .body("priorityLabel", equalTo("急办"))
                .body("assignments.status", contains("PLANNED", "PLANNED"))
                .extract().path("id");

        // A draft is invisible to its units.
        given().auth().oauth2(leadToken).get(SUP + id).then().statusCode(404);

        act(sup, SUP + id + "/dispatch", null).statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("dispatchedAt", notNullValue())
                .body("assignments.status", contains("PENDING_ACCEPTANCE", "PENDING_ACCEPTANCE"));

        act(leadToken, SUP + id + "/assignments/" + lead + "/accept", null).statusCode(200)
                .body("assignments", hasSize(1))
                .body("assignments[0].status", equalTo("IN_PROGRESS"))
                .body("assignments[0].roleLabel", equalTo("主办"));
        act(assistToken, SUP + id + "/assignments/" + assist + "/accept", null).statusCode(200);

        act(assistToken, SUP + id + "/assignments/" + assist + "/progress",
                Map.of("content", "已完成现场摸排，形成问题清单。", "percent", 40, "nextSteps", "配合制定方案")).statusCode(200)
                .body("progressReports", hasSize(1))
                .body("assignments[0].progressPercent", equalTo(40));
        act(leadToken, SUP + id + "/assignments/" + lead + "/progress",
                Map.of("content", "方案初稿已形成。", "percent", 60, "helpNeeded", "需财政局明确资金来源")).statusCode(200);

        // The lead cannot submit before its assist unit has.
        act(leadToken, SUP + id + "/assignments/" + lead + "/submit", Map.of("summary", "已完成")).statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("assists-pending"));

        act(assistToken, SUP + id + "/assignments/" + assist + "/submit", Map.of("summary", "协办部分已完成。"))
                .statusCode(200).body("assignments[0].status", equalTo("SUBMITTED"))
                .body("status", equalTo("ACTIVE"));

        // Extension for the lead unit: approved, the deadline moves and the original is kept.
        String original = given().auth().oauth2(sup).get(SUP + id).then().extract().path("deadline");
        String later = LocalDate.parse(original).plusDays(10).toString();
        String rid = act(leadToken, SUP + id + "/assignments/" + lead + "/extension-requests",
                Map.of("requestedDeadline", later, "reason", "需等待上级资金批复")).statusCode(201)
                .body("status", equalTo("PENDING")).extract().path("id");
        act(sup, SUP + id + "/extension-requests/" + rid + "/approve", Map.of("comment", "同意")).statusCode(200)
                .body("status", equalTo("APPROVED"));
        given().auth().oauth2(sup).get(SUP + id).then().statusCode(200)
                .body("deadline", equalTo(later))
                .body("originalDeadline", equalTo(original));

        act(leadToken, SUP + id + "/assignments/" + lead + "/submit", Map.of("summary", "改造方案已印发实施。"))
                .statusCode(200).body("status", equalTo("PENDING_REVIEW"));

        // Returned for rework, then submitted again and approved.
        act(sup, SUP + id + "/review", Map.of("decision", "RETURN", "comment", "请补充资金落实情况")).statusCode(200)
                .body("status", equalTo("ACTIVE"));
        given().auth().oauth2(leadToken).get(SUP + id).then().body("assignments[0].status", equalTo("IN_PROGRESS"));
        act(leadToken, SUP + id + "/assignments/" + lead + "/submit", Map.of("summary", "已补充资金落实情况。"))
                .statusCode(200).body("status", equalTo("PENDING_REVIEW"));
        act(sup, SUP + id + "/review", Map.of("decision", "APPROVE", "rating", "EXCELLENT", "comment", "办理扎实"))
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("rating", equalTo("EXCELLENT"))
                .body("ratingLabel", equalTo("优秀"))
                .body("completedOnTime", is(true))
                .body("assignments.status", contains("DONE", "DONE"));

        // Nothing more can happen to a completed item.
        act(sup, SUP + id + "/cancel", Map.of("reason", "重复立项")).statusCode(409).body("code",
                equalTo("state-conflict"));

        given().auth().oauth2(sup).get(SUP + id + "/timeline").then().statusCode(200)
                .body("items.action", contains("CREATE", "DISPATCH", "ACCEPT", "ACCEPT", "REPORT_PROGRESS",
                        "REPORT_PROGRESS", "SUBMIT", "REQUEST_EXTENSION", "APPROVE_EXTENSION", "SUBMIT", "SUBMIT",
                        "RETURN", "SUBMIT", "SUBMIT", "APPROVE"))
                .body("items[1].before.status", equalTo("DRAFT"))
                .body("items[1].after.status", equalTo("ACTIVE"))
                .body("items[2].actor", equalTo("handler-" + lead.toLowerCase()))
                .body("items[2].actorRole", equalTo("handler"))
                .body("items[8].before.deadline", equalTo(original))
                .body("items[8].after.deadline", equalTo(later))
                .body("items[14].actionLabel", equalTo("审核通过（办结）"));

        // A handler reads only their own unit's lines of the timeline.
        given().auth().oauth2(assistToken).get(SUP + id + "/timeline").then().statusCode(200)
                .body("items.unitCode.findAll { it != null }.unique()", contains(assist));

        // Page by page, four lines at a time: the same fifteen lines, in order, each once.
        var whole = given().auth().oauth2(sup).get(SUP + id + "/timeline").then().extract().jsonPath();
        assertEquals(whole.getList("items.id"), Pages.all(sup, SUP + id + "/timeline", 4).stream()
                .map(t -> t.get("id")).toList());
        assertEquals(15, whole.getList("items").size());
        assertEquals(whole.getList("items.id").subList(0, 4), given().auth().oauth2(sup)
                .get(SUP + id + "/timeline?limit=4").then().extract().path("items.id"));
        // A handler's pages hold their unit's lines and the item's, as the whole list does.
        var assistLines = given().auth().oauth2(assistToken).get(SUP + id + "/timeline").then().extract()
                .jsonPath().getList("items.id");
        assertEquals(assistLines, Pages.all(assistToken, SUP + id + "/timeline", 2).stream()
                .map(t -> t.get("id")).toList());
        // A cursor belongs to its item's timeline.
        String other = Fixture.dispatched(lead, List.of());
        String cursor = given().auth().oauth2(sup).get(SUP + id + "/timeline?limit=1").then().extract().path("nextCursor");
        given().auth().oauth2(sup).queryParam("cursor", cursor).get(SUP + other + "/timeline").then().statusCode(400)
                .body("code", equalTo("bad-cursor"));
    }

    @Test
    void everyLifecycleChangeWritesCompleteOutboxRows() {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String id = Fixture.dispatched(lead, List.of(assist));
        act(DevTokens.handler(lead), SUP + id + "/assignments/" + lead + "/accept", null).statusCode(200);
        act(DevTokens.leader(), SUP + id + "/instructions", Map.of("content", "请抓紧办理，确保按期完成。")).statusCode(201);
        act(DevTokens.supervisor(), SUP + id + "/urge", Map.of("unitCode", assist, "message", "请尽快签收")).statusCode(200);
        act(DevTokens.supervisor(), SUP + id + "/cancel", Map.of("reason", "上级已另行部署")).statusCode(200);

        List<OutboxEvent> events = Db.read(() -> OutboxEvent.<OutboxEvent>list("itemId", Sort.by("createdAt")
                .and("type"), UUID.fromString(id)));
        // One transaction per action: the events of each action, in the order the actions ran.
        assertEquals(List.of(
                Set.of("ITEM_DISPATCHED:" + lead, "ITEM_DISPATCHED:" + assist),
                Set.of("ASSIGNMENT_ACCEPTED:" + lead),
                Set.of("INSTRUCTION_ADDED:" + lead, "INSTRUCTION_ADDED:" + assist),
                Set.of("ITEM_URGED:" + assist),
                Set.of("ITEM_CANCELLED:" + lead, "ITEM_CANCELLED:" + assist)), byTransaction(events));

        OutboxEvent accepted = events.stream().filter(e -> e.type.equals("ASSIGNMENT_ACCEPTED")).findFirst()
                .orElseThrow();
        Map<String, Object> p = accepted.payload;
        assertEquals(1, p.get("schemaVersion"));
        assertEquals(accepted.id.toString(), p.get("eventId"));
        assertEquals("ASSIGNMENT_ACCEPTED", p.get("type"));
        assertEquals(id, p.get("itemId"));
        assertTrue(((String) p.get("itemNumber")).startsWith("DB-"));
        assertEquals("关于推进老旧小区改造工作的批示", p.get("title"));
        assertEquals("URGENT", p.get("priority"));
        assertEquals(lead, p.get("unitCode"));
        assertEquals("LEAD", p.get("role"));
        assertEquals("IN_PROGRESS", p.get("status"));
        assertEquals("WEEKLY", p.get("feedbackCycle"));
        assertNotNull(p.get("deadline"));
        assertEquals("handler-" + lead.toLowerCase(), p.get("actor"));
        assertTrue(((String) p.get("occurredAt")).endsWith("+08:00"), (String) p.get("occurredAt"));
        OutboxEvent urged = events.stream().filter(e -> e.type.equals("ITEM_URGED")).findFirst().orElseThrow();
        assertEquals("请尽快签收", ((Map<?, ?>) urged.payload.get("data")).get("message"));
        assertTrue(events.stream().allMatch(e -> e.publishedAt == null), "nothing is published yet");
    }

    /** Events of one transaction share its timestamp. */
    private static List<Set<String>> byTransaction(List<OutboxEvent> events) {
        Map<Instant, Set<String>> groups = new TreeMap<>();
        events.forEach(e -> groups.computeIfAbsent(e.createdAt, t -> new HashSet<>()).add(e.type + ":" + e.unitCode));
        return List.copyOf(groups.values());
    }

    @Test
    void declinedAssignmentCanBeReassigned() {
        String wrong = Fixture.unit("W");
        String right = Fixture.unit("R");
        String id = Fixture.dispatched(wrong, List.of());

        act(DevTokens.handler(wrong), SUP + id + "/assignments/" + wrong + "/decline", Map.of()).statusCode(400)
                .body("errors.field", hasItems("reason"));
        act(DevTokens.handler(wrong), SUP + id + "/assignments/" + wrong + "/decline",
                Map.of("reason", "该事项属住建局职责")).statusCode(200)
                .body("assignments[0].status", equalTo("DECLINED"))
                .body("assignments[0].declineReason", equalTo("该事项属住建局职责"));

        act(DevTokens.supervisor(), SUP + id + "/assignments/" + wrong + "/reassign",
                Map.of("toUnit", right, "note", "改由" + right + "主办")).statusCode(200)
                .body("leadUnit", equalTo(right))
                .body("assignments.unitCode", contains(wrong, right))
                .body("assignments.status", contains("REASSIGNED", "PENDING_ACCEPTANCE"))
                .body("assignments[1].reassignedFrom", equalTo(wrong));

        // The new unit takes it over; the old one no longer sees the item at all.
        act(DevTokens.handler(right), SUP + id + "/assignments/" + right + "/accept", null).statusCode(200);
        act(DevTokens.handler(wrong), SUP + id + "/assignments/" + wrong + "/accept", null).statusCode(404);
        given().auth().oauth2(DevTokens.handler(wrong)).get(SUP + id).then().statusCode(404);
        given().auth().oauth2(DevTokens.handler(wrong)).get("/api/v1/tasks?limit=100").then()
                .body("items.id", not(hasItems(id)));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks?unit=" + right).then().statusCode(200)
                .body("items.id", hasItems(id));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks?unit=" + wrong).then().statusCode(200)
                .body("items", hasSize(0));
    }

    @Test
    void actionsTheStateDoesNotAllowAreRefusedAndChangeNothing() {
        String lead = Fixture.unit("L");
        String id = Fixture.draft(lead, List.of());
        String version = given().auth().oauth2(DevTokens.supervisor()).get(SUP + id).then().extract().header("ETag");

        act(DevTokens.supervisor(), SUP + id + "/review", Map.of("decision", "APPROVE", "rating", "GOOD"))
                .statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("state-conflict"))
                .body("detail", equalTo("当前状态为“草稿”，不能执行“审核通过”。"));
        act(DevTokens.supervisor(), SUP + id + "/urge", Map.of("message", "快")).statusCode(409);

        Fixture.act(DevTokens.supervisor(), SUP + id + "/dispatch", null).statusCode(200);
        act(DevTokens.supervisor(), SUP + id + "/dispatch", null).statusCode(409);
        // Progress before acceptance is refused too.
        act(DevTokens.handler(lead), SUP + id + "/assignments/" + lead + "/progress",
                Map.of("content", "x", "percent", 10)).statusCode(409);
        given().auth().oauth2(DevTokens.supervisor()).get(SUP + id + "/timeline").then()
                .body("items.action", contains("CREATE", "DISPATCH"));
        String after = given().auth().oauth2(DevTokens.supervisor()).get(SUP + id).then().extract().header("ETag");
        assertEquals(Fixture.version(version) + 1, Fixture.version(after));
    }

    @Test
    void extensionMustBeLaterAndOnlyOnePendingAtATime() {
        String lead = Fixture.unit("L");
        String id = Fixture.dispatched(lead, List.of());
        String token = DevTokens.handler(lead);
        act(token, SUP + id + "/assignments/" + lead + "/accept", null).statusCode(200);
        String deadline = given().auth().oauth2(token).get(SUP + id).then().extract().path("deadline");
        String path = SUP + id + "/assignments/" + lead + "/extension-requests";

        act(token, path, Map.of("requestedDeadline", deadline, "reason", "工作量大")).statusCode(422)
                .body("errors[0].field", equalTo("requestedDeadline"));
        String later = LocalDate.parse(deadline).plusDays(5).toString();
        String rid = act(token, path, Map.of("requestedDeadline", later, "reason", "工作量大")).statusCode(201)
                .extract().path("id");
        act(token, path, Map.of("requestedDeadline", later, "reason", "再申请")).statusCode(409)
                .body("code", equalTo("extension-pending"));
        act(DevTokens.supervisor(), SUP + id + "/extension-requests/" + rid + "/reject", Map.of("comment", "理由不充分"))
                .statusCode(200).body("status", equalTo("REJECTED"));
        act(DevTokens.supervisor(), SUP + id + "/extension-requests/" + rid + "/approve", null).statusCode(409);
        given().auth().oauth2(token).get(SUP + id).then().body("deadline", equalTo(deadline))
                .body("extensionRequests[0].statusLabel", equalTo("未批准"));
    }

    @Test
    void aPendingExtensionIsWithdrawnWhenItsAssignmentIsReassigned() {
        String from = Fixture.unit("F");
        String to = Fixture.unit("T");
        String id = Fixture.dispatched(from, List.of());
        act(DevTokens.handler(from), SUP + id + "/assignments/" + from + "/accept", null).statusCode(200);
        String deadline = given().auth().oauth2(DevTokens.supervisor()).get(SUP + id).then().extract().path("deadline");
        String rid = act(DevTokens.handler(from), SUP + id + "/assignments/" + from + "/extension-requests",
                Map.of("requestedDeadline", LocalDate.parse(deadline).plusDays(9).toString(), "reason", "人手不足"))
                .statusCode(201).extract().path("id");
        act(DevTokens.supervisor(), SUP + id + "/assignments/" + from + "/reassign", Map.of("toUnit", to))
                .statusCode(200)
                .body("extensionRequests[0].status", equalTo("WITHDRAWN"))
                .body("extensionRequests[0].statusLabel", equalTo("已撤回"));
        act(DevTokens.supervisor(), SUP + id + "/extension-requests/" + rid + "/approve", null).statusCode(409);
        given().auth().oauth2(DevTokens.supervisor()).get(SUP + id).then().body("deadline", equalTo(deadline));
    }
}
