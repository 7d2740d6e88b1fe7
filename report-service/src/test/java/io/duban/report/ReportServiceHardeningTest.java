package io.duban.report;

import static io.restassured.RestAssured.given;

import io.duban.report.support.TaskSchemaTestResource;
import io.duban.testing.ApiCall;
import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.duban.testing.DevTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;

/**
 * report-service's authorization matrix and fuzzing. The reports read whatever task data the
 * test database holds (the other test classes' fixtures); an empty report is a real answer too.
 */
@QuarkusTest
@WithTestResource(value = TaskSchemaTestResource.class, scope = TestResourceScope.GLOBAL)
class ReportServiceHardeningTest extends ApiHardeningContract {

    /** Who reads reports: everyone but admins (a handler sees only their own unit's rows). */
    static final List<String> READERS = List.of("supervisor", "leader", "handler", "service");

    @Override
    protected AuthorizationMatrix matrix() {
        return AuthorizationMatrix.withSharedEndpoints()
                // --- report-service reports (issue 11) ---
                .allow("GET /api/v1/reports/overdue", READERS, ApiCall::call)
                .allow("GET /api/v1/reports/rows", READERS, () -> ApiCall.call().query("measure", "received")
                        .query("from", "2026-09-01").query("to", "2026-09-30"))
                .allow("GET /api/v1/reports/summary", READERS, () -> ApiCall.call()
                        .query("from", "2026-09-01").query("to", "2026-09-30").query("groupBy", "unit"))
                .allow("GET /api/v1/reports/warning-board", READERS, ApiCall::call)
                .allow("GET /api/v1/reports/warning-board/assignments", READERS, ApiCall::call)
                .allow("GET /api/v1/reports/ranking", READERS, () -> ApiCall.call().query("period", "2026-09"))
                .allow("GET /api/v1/ranking-rules", DevTokens.ROLES, ApiCall::call)
                .allow("PUT /api/v1/ranking-rules", List.of("admin"), () -> ApiCall.call().json(Map.of("base", 100,
                        "onTime", 2, "late", -3, "overdue", -5, "urge", -1, "ratingExcellent", 2, "ratingGood", 1,
                        "ratingFair", 0, "ratingPoor", -2)))
                .allow("POST /api/v1/bulletins", List.of("supervisor"), () -> ApiCall.call().json(Map.of("period", "2026-09")))
                .allow("GET /api/v1/bulletins", READERS, ApiCall::call)
                .allow("GET /api/v1/bulletins/{id}", READERS, () -> ApiCall.call().path("id", bulletin()))
                .allow("GET /api/v1/bulletins/{id}/print", READERS, () -> ApiCall.call().path("id", bulletin()));
    }

    private String bulletinId;

    /** A real bulletin, issued once through the API. */
    private String bulletin() {
        if (bulletinId == null) {
            bulletinId = given().auth().oauth2(DevTokens.supervisor()).contentType("application/json")
                    .body(Map.of("period", "2026-09", "preface", "测试")).post("/api/v1/bulletins")
                    .then().statusCode(201).extract().path("id");
        }
        return bulletinId;
    }
}
