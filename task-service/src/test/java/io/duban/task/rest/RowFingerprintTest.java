package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.RowFingerprint;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The row check the authorization matrix and the fuzzer rely on sees what a request writes: a new
 * row, and a changed one when no count moves; and nothing when nothing was written.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class RowFingerprintTest {

    @Test
    void insertsAndUpdatesShowAndReadsDoNot() {
        try (RowFingerprint rows = RowFingerprint.ofServiceUnderTest(Set.of())) {
            RowFingerprint.Snapshot start = rows.take();
            String unit = Fixture.unit("F");
            RowFingerprint.Snapshot withUnit = rows.take();
            assertEquals(List.of("unit: " + start.tables().get("unit").rows() + " rows -> "
                    + (start.tables().get("unit").rows() + 1)), withUnit.changesSince(start));

            String id = Fixture.draft(unit, List.of());
            RowFingerprint.Snapshot withDraft = rows.take();
            String etag = given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id).then().statusCode(200)
                    .extract().header("ETag");
            assertEquals(List.of(), rows.take().changesSince(withDraft), "a read writes nothing");

            given().auth().oauth2(DevTokens.supervisor()).header("If-Match", etag).contentType(ContentType.JSON)
                    .body(Map.of("category", "城市建设（修订）")).patch("/api/v1/tasks/" + id).then().statusCode(200);
            List<String> changes = rows.take().changesSince(withDraft);
            long items = withDraft.tables().get("supervision_item").rows();
            assertTrue(changes.contains("supervision_item: " + items + " rows -> " + items + " (rows written)"),
                    changes.toString());
        }
    }
}
