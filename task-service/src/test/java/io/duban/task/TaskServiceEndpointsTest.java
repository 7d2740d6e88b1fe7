package io.duban.task;

import io.duban.testing.PostgresTestResource;
import io.duban.testing.SharedEndpointsContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** task-service answers what every Duban service answers alike. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TaskServiceEndpointsTest extends SharedEndpointsContract {
}
