package io.duban.report;

import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * report-service's authorization matrix and fuzzing. Each endpoint this service gets adds
 * one line here (who may call it, and a setup with real data); the test fails until it does.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ReportServiceHardeningTest extends ApiHardeningContract {

    @Override
    protected AuthorizationMatrix matrix() {
        return AuthorizationMatrix.withSharedEndpoints();
    }

    @Override
    protected int fuzzRequests() {
        return 500;
    }
}
