package io.duban.notification;

import static io.duban.common.security.Roles.SERVICE;

import io.duban.notification.events.SampleEvents;
import io.duban.testing.ApiCall;
import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/**
 * notification-service's authorization matrix and fuzzing: the shared endpoints and one line per
 * endpoint of its own (who may call it, and a setup with real data).
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class NotificationServiceHardeningTest extends ApiHardeningContract {

    @Override
    protected AuthorizationMatrix matrix() {
        return AuthorizationMatrix.withSharedEndpoints()
                // --- event intake (issue 10, part "relay"): a fresh event of a fresh item per call
                .allow("POST /api/v1/events", List.of(SERVICE),
                        () -> ApiCall.call().json(SampleEvents.json(new SampleEvents().dispatched("FGW"))));
    }
}
