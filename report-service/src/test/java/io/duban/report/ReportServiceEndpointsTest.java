package io.duban.report;

import io.duban.report.support.TaskSchemaTestResource;
import io.duban.testing.SharedEndpointsContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** report-service answers what every Duban service answers alike. */
@QuarkusTest
@WithTestResource(value = TaskSchemaTestResource.class, scope = TestResourceScope.GLOBAL)
class ReportServiceEndpointsTest extends SharedEndpointsContract {
}
