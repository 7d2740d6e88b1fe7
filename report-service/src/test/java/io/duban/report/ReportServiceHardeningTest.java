package io.duban.report;

import io.duban.report.support.TaskSchemaTestResource;
import io.duban.testing.ApiCall;
import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

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
                .allow("GET /api/v1/reports/warning-board/assignments", READERS, ApiCall::call);
    }
}
