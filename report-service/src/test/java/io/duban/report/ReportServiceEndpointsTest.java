package io.duban.report;

import io.duban.testing.PostgresTestResource;
import io.duban.testing.SharedEndpointsContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** report-service answers what every Duban service answers alike. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ReportServiceEndpointsTest extends SharedEndpointsContract {
}
