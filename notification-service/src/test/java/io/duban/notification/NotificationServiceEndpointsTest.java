package io.duban.notification;

import io.duban.testing.PostgresTestResource;
import io.duban.testing.SharedEndpointsContract;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** notification-service answers what every Duban service answers alike. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class NotificationServiceEndpointsTest extends SharedEndpointsContract {
}
