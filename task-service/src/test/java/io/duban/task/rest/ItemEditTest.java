package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.domain.OutboxEvent;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ItemEditTest {

    private static String etag(String id) {
        return given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id).then().statusCode(200)
                .extract().header("ETag");
    }

    private static io.restassured.response.ValidatableResponse patch(String id, String etag, Object body) {
        var req = given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body);
        if (etag != null) {
            req.header("If-Match", etag);
        }
        return req.patch("/api/v1/tasks/" + id).then();
    }

    @Test
    void draftCanChangeItsUnitsAndDeadlineAndTheTimelineShowsBeforeAndAfter() {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String newLead = Fixture.unit("N");
        String id = Fixture.draft(lead, List.of(assist));
        String deadline = LocalDate.now().plusDays(15).toString();

        patch(id, etag(id), Map.of("leadUnit", newLead, "assistUnits", List.of(), "deadline", deadline,
                "title", "修改后的标题")).statusCode(200)
                .body("leadUnit", equalTo(newLead))
                .body("deadline", equalTo(deadline))
                .body("originalDeadline", equalTo(deadline))
                .body("title", equalTo("修改后的标题"))
                .body("assignments.unitCode", contains(newLead));

        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id + "/timeline").then()
                .body("items.action", contains("CREATE", "EDIT"))
                .body("items[1].before.leadUnit", equalTo(lead))
                .body("items[1].after.leadUnit", equalTo(newLead))
                .body("items[1].before.assistUnits", contains(assist))
                .body("items[1].after.assistUnits", hasSize(0))
                .body("items[1].after.title", equalTo("修改后的标题"));
        // Editing a draft tells no other service anything: it was never dispatched.
        assertEquals(0L, Db.read(() -> OutboxEvent.count("itemId", UUID.fromString(id))));
    }

    @Test
    void dispatchedItemLocksDeadlineAndUnitsButTakesOtherEditsWithAnEvent() {
        String lead = Fixture.unit("L");
        String id = Fixture.dispatched(lead, List.of());

        patch(id, etag(id), Map.of("deadline", LocalDate.now().plusDays(99).toString())).statusCode(409)
                .body("code", equalTo("field-locked"))
                .body("detail", equalTo("事项交办后不能直接修改“deadline”：期限请走延期申请，承办单位请走转办。"));
        patch(id, etag(id), Map.of("priority", "CRITICAL", "category", "安全生产")).statusCode(200)
                .body("priority", equalTo("CRITICAL"))
                .body("priorityLabel", equalTo("特急"));
        List<OutboxEvent> updates = Db.read(() -> OutboxEvent.list("itemId = ?1 and type = 'ITEM_UPDATED'",
                UUID.fromString(id)));
        assertEquals(1, updates.size());
        assertEquals(lead, updates.get(0).unitCode);
        assertEquals("CRITICAL", updates.get(0).payload.get("priority"));
        assertEquals(List.of("priority", "category"), ((Map<?, ?>) updates.get(0).payload.get("data")).get("changed"));

        // A patch that changes nothing changes nothing: same version, no timeline line.
        String tag = etag(id);
        patch(id, tag, Map.of("priority", "CRITICAL")).statusCode(200);
        assertEquals(tag, etag(id));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id + "/timeline").then()
                .body("items.action", hasSize(3));
    }

    @Test
    void patchNeedsACurrentIfMatch() {
        String id = Fixture.draft(Fixture.unit("L"), List.of());
        patch(id, null, Map.of("title", "无版本号")).statusCode(428)
                .contentType("application/problem+json").body("code", equalTo("precondition-required"));
        String stale = etag(id);
        patch(id, stale, Map.of("title", "第一次修改")).statusCode(200);
        patch(id, stale, Map.of("title", "基于旧版本的修改")).statusCode(412)
                .body("code", equalTo("precondition-failed"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id).then()
                .body("title", equalTo("第一次修改"));
        given().auth().oauth2(DevTokens.supervisor()).header("If-None-Match", etag(id)).get("/api/v1/tasks/" + id)
                .then().statusCode(304);
    }

    @Test
    void blankTitlesAndEmptyUnitsAreRefusedAndEmptyTextClearsAField() {
        String lead = Fixture.unit("L");
        String id = Fixture.draft(lead, List.of());
        patch(id, etag(id), Map.of("title", "   ")).statusCode(400).body("errors[0].field", equalTo("title"));
        Map<String, Object> nullUnit = new HashMap<>();
        nullUnit.put("assistUnits", Arrays.asList((String) null));
        patch(id, etag(id), nullUnit).statusCode(400).body("errors[0].field", equalTo("assistUnits[0]"));
        patch(id, etag(id), Map.of("description", "", "category", "")).statusCode(200)
                .body("description", nullValue())
                .body("category", nullValue());
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id + "/timeline").then()
                .body("items[-1].after.containsKey('description')", equalTo(true))
                .body("items[-1].before.category", equalTo("城市建设"));
    }
}
