package io.duban.notification;

import static io.duban.common.security.Roles.ADMIN;
import static io.duban.common.security.Roles.HANDLER;
import static io.duban.common.security.Roles.LEADER;
import static io.duban.common.security.Roles.SERVICE;
import static io.duban.common.security.Roles.SUPERVISOR;
import static io.duban.testing.ApiCall.call;

import io.duban.common.security.Caller;
import io.duban.notification.events.SampleEvents;
import io.duban.notification.reminders.ReminderPolicy;
import io.duban.notification.reminders.ReminderPolicyService;
import io.duban.notification.support.CalendarSourceResource;
import io.duban.notification.support.Db;
import io.duban.notification.support.Intake;
import io.duban.notification.support.Story;
import io.duban.notification.subscriptions.SubscriptionRequest;
import io.duban.notification.subscriptions.Subscriptions;
import io.duban.testing.ApiCall;
import io.duban.testing.ApiHardeningContract;
import io.duban.testing.AuthorizationMatrix;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * notification-service's authorization matrix and fuzzing: the shared endpoints, then one block per
 * part of issue 10.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CalendarSourceResource.class, scope = TestResourceScope.GLOBAL)
class NotificationServiceHardeningTest extends ApiHardeningContract {

    // --- reminders, urges and the inbox (issue 10, part 2) ---
    @Inject
    Intake intake;
    @Inject
    SettableClock clock;
    @Inject
    ReminderPolicyService policies;

    @Inject
    Subscriptions subscriptions;
    @Inject
    EntityManager em;

    @Override
    protected AuthorizationMatrix matrix() {
        AuthorizationMatrix m = AuthorizationMatrix.withSharedEndpoints()
                // --- event intake (issue 10, part "relay"): a fresh event of a fresh item per call
                .allow("POST /api/v1/events", List.of(SERVICE),
                        () -> ApiCall.call().json(SampleEvents.json(new SampleEvents().dispatched("FGW"))))
                .allow("POST /api/v1/events/batch", List.of(SERVICE), () -> ApiCall.call().json(
                        "{\"events\":[{\"event\":" + SampleEvents.json(new SampleEvents().dispatched("FGW")) + "}]}"))
                // --- reminders, urges and the inbox (issue 10, part 2) ---
                .allow("GET /api/v1/reminder-policies", List.of(ADMIN, SUPERVISOR), ApiCall::call)
                .allow("PUT /api/v1/reminder-policies", List.of(ADMIN), () -> call().json(Map.of(
                        "beforeDeadlineWorkingDays", List.of(3, 1), "onDeadlineDay", true, "dailyWhileOverdue", true,
                        "notAcceptedWorkingDays", 1, "progressLate", true,
                        "escalation", List.of(Map.of("level", "HANDLER", "graceWorkingDays", 1),
                                Map.of("level", "UNIT_HEAD", "graceWorkingDays", 2),
                                Map.of("level", "LEADER", "graceWorkingDays", 3),
                                Map.of("level", "OFFICE", "graceWorkingDays", 5)),
                        "officeHoursStart", "09:00", "officeHoursEnd", "17:30")))
                .allow("GET /api/v1/me/notifications", List.of(SUPERVISOR, LEADER, HANDLER), () -> urged().query("limit", 20))
                .unitScoped("POST /api/v1/notifications/{id}/read", List.of(SUPERVISOR, LEADER, HANDLER), this::urged)
                .unitScoped("POST /api/v1/notifications/{id}/ack", List.of(HANDLER), this::urged)
                .allow("GET /api/v1/urges/unacknowledged", List.of(SUPERVISOR, LEADER), () -> call().query("limit", 10));
        delivery(m);
        return m;
    }

    /** The fuzzer may store odd but valid policies; the other tests expect the defaults. */
    @Override
    protected void afterFuzzing() {
        policies.replace(ReminderPolicy.defaults(), null, new Caller("admin-t", Set.of("admin"), null));
    }

    /** An urge notice for a fresh unit (from an ITEM_URGED event, as the intake applies it). */
    private ApiCall urged() {
        Story s = Story.dispatched(intake, clock, Story.freshUnit("HZ"), LocalDate.now(clock).plusMonths(1)).accepted();
        s.urged("请加快办理进度");
        return call().path("id", urgeOf(s.itemId())).ownedBy(s.unit());
    }

    private static UUID urgeOf(UUID itemId) {
        try (Connection c = Db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM notification WHERE item_id = ? AND kind = 'URGE'")) {
            ps.setObject(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
                                null), "admin-t").id()))
                .allow("DELETE /api/v1/subscriptions/{id}", List.of("admin", "service"), () -> call().path("id",
                        subscriptions.create(new SubscriptionRequest(LOOPBACK_HOOK, List.of("ITEM_URGED"),
                                "hardening-secret-0123456789", null), "admin-t").id()));
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
