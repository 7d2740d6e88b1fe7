package io.duban.notification;

import io.duban.testing.ApiHardeningContract;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * notification-service's authorization matrix and fuzzing: so far the shared endpoints only. The first
 * endpoint of its own overrides matrix() with its line (who may call it, and a setup with real
 * data); the test fails until it does.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class NotificationServiceHardeningTest extends ApiHardeningContract {
}
