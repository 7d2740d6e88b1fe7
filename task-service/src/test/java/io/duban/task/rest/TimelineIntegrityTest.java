package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The timeline is tamper-evident: an item's history checks out as written, and a change made in the
 * database behind the service (here by the superuser, with triggers set aside) is found, at the
 * first entry it breaks.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TimelineIntegrityTest {

    private static final TestDatabase DB = TestDatabase.forModule("task-service");

    /** An item with a few lines of history: create, dispatch, accept, progress, urge. */
    private static String itemWithHistory() {
        String lead = Fixture.unit("T");
        String id = Fixture.dispatched(lead, List.of());
        String handler = DevTokens.handler(lead);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(200);
        act(handler, "/api/v1/tasks/" + id + "/assignments/" + lead + "/progress",
                Map.of("content", "已召开专题会议研究", "percent", 30)).statusCode(200);
        act(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/urge", Map.of("message", "请加快进度")).statusCode(200);
        return id;
    }

    private static io.restassured.response.ValidatableResponse verify(String id) {
        return given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id + "/timeline/verify").then()
                .statusCode(200);
    }

    private static List<Long> entries(String id) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = DB.admin();
                PreparedStatement s = c.prepareStatement("SELECT id FROM task.timeline_entry WHERE item_id = ? ORDER BY id")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** What an intruder with the superuser's password could do: triggers off, then any SQL. */
    private static void tamper(String sql) throws SQLException {
        try (Connection c = DB.admin(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            s.execute(sql);
        }
    }

    @Test
    void anUntouchedHistoryChecksOut() {
        String id = itemWithHistory();
        verify(id).body("intact", equalTo(true)).body("entries", equalTo(5)).body("brokenAt", nullValue());
    }

    @Test
    void anEditedEntryIsFoundWhereItWasEdited() throws SQLException {
        String id = itemWithHistory();
        long edited = entries(id).get(2);
        tamper("UPDATE task.timeline_entry SET note = '改写后的内容' WHERE id = " + edited);
        verify(id).body("intact", equalTo(false)).body("brokenAt", equalTo((int) edited))
                .body("breakKind", equalTo("CONTENT"));
    }

    @Test
    void aRemovedEntryBreaksTheLinkOfTheNextOne() throws SQLException {
        String id = itemWithHistory();
        List<Long> before = entries(id);
        tamper("DELETE FROM task.timeline_entry WHERE id = " + before.get(1));
        verify(id).body("intact", equalTo(false)).body("brokenAt", equalTo(before.get(2).intValue()))
                .body("breakKind", equalTo("LINK"));
    }

    @Test
    void removingTheNewestEntryShowsAtTheHead() throws SQLException {
        String id = itemWithHistory();
        List<Long> before = entries(id);
        tamper("DELETE FROM task.timeline_entry WHERE id = " + before.get(before.size() - 1));
        assertEquals(before.size() - 1, entries(id).size());
        verify(id).body("intact", equalTo(false)).body("breakKind", equalTo("HEAD"));
    }

    @Test
    void onlyTheOfficeVerifies() {
        String id = itemWithHistory();
        given().auth().oauth2(DevTokens.leader()).get("/api/v1/tasks/" + id + "/timeline/verify").then().statusCode(403);
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/tasks/" + id + "/timeline/verify").then().statusCode(403);
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + UUID.randomUUID() + "/timeline/verify")
                .then().statusCode(404);
    }
}
