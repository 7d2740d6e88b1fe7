package io.duban.notification;

import static io.duban.testing.ApiCall.call;

import io.duban.notification.subscriptions.SubscriptionRequest;
import io.duban.notification.subscriptions.Subscriptions;
import io.duban.testing.ApiCall;
import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.duban.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * notification-service's authorization matrix and fuzzing: every endpoint of its own has one line
 * here (who may call it, and a setup with real data), each part in its own block.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class NotificationServiceHardeningTest extends ApiHardeningContract {

    @Inject
    Subscriptions subscriptions;
    @Inject
    EntityManager em;

    @Override
    protected AuthorizationMatrix matrix() {
        AuthorizationMatrix m = AuthorizationMatrix.withSharedEndpoints();
        delivery(m);
        return m;
    }

    // --- delivery (issue 10, part 3): deliveries and subscriptions ---
    private static final String LOOPBACK_HOOK = "http://127.0.0.1:9/duban-hook";

    private void delivery(AuthorizationMatrix m) {
        m.allow("GET /api/v1/deliveries", List.of("admin", "supervisor"), () -> call().query("limit", 5))
                .allow("POST /api/v1/deliveries/{id}/retry", List.of("admin"), () -> call().path("id", failedDelivery()))
                .allow("POST /api/v1/subscriptions", List.of("admin", "service"), () -> call().json(Map.of(
                        "url", LOOPBACK_HOOK, "eventTypes", List.of("ITEM_URGED", "ITEM_COMPLETED"),
                        "secret", "hardening-secret-0123456789", "description", "授权矩阵")))
                .allow("GET /api/v1/subscriptions", List.of("admin", "service"), ApiCall::call)
                .allow("GET /api/v1/subscriptions/{id}", List.of("admin", "service"), () -> call().path("id",
                        subscriptions.create(new SubscriptionRequest(LOOPBACK_HOOK, List.of("*"), "hardening-secret-0123456789",
                                null), "admin-t").id()));
    }

    /** A webhook delivery that failed all its attempts, as the worker leaves one. */
    private UUID failedDelivery() {
        UUID subscription = subscriptions.create(new SubscriptionRequest(LOOPBACK_HOOK, List.of("ITEM_URGED"),
                "hardening-secret-0123456789", null), "admin-t").id();
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO delivery (id, channel, kind, event_id, subscription_id, item_id, unit_code, recipient, body,
                                      status, attempts, next_attempt_at, last_error, created_at, updated_at)
                VALUES (:id, 'WEBHOOK', 'ITEM_URGED', :event, :subscription, :item, 'FGW', :url, '{}',
                        'FAILED', 6, NULL, 'webhook: HTTP 500', :now, :now)""")
                .setParameter("id", id).setParameter("event", UUID.randomUUID()).setParameter("subscription", subscription)
                .setParameter("item", UUID.randomUUID()).setParameter("url", LOOPBACK_HOOK).setParameter("now", Instant.now())
                .executeUpdate());
        return id;
    }
    // --- end delivery ---
}
