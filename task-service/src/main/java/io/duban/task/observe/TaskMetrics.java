package io.duban.task.observe;

import io.duban.common.domain.WarningLevel;
import io.duban.common.observe.AfterCommit;
import io.duban.common.warning.WarningPolicy;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.relay.OutboxRelay;
import io.duban.task.relay.RelayStatus;
import io.duban.task.warning.ItemWarnings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import java.util.EnumMap;
import java.util.Map;

/**
 * task-service's business metrics at /q/metrics (README "Metrics"): items dispatched and urges sent
 * (counted when their transaction commits), open items by warning light, and the outbox relay's
 * backlog and lag. The gauges come from queries, run at most once per duban.metrics.refresh-after
 * however often Prometheus scrapes.
 */
@Startup
@ApplicationScoped
public class TaskMetrics {

    private final AfterCommit afterCommit;
    private final Counter dispatched;
    private final Counter urges;
    private final Snapshot<Map<WarningLevel, Long>> open;
    private final Snapshot<RelayStatus> relay;

    public TaskMetrics(MeterRegistry registry, AfterCommit afterCommit, DubanConfig config, ItemWarnings warnings,
            OutboxRelay outbox) {
        this.afterCommit = afterCommit;
        this.dispatched = Counter.builder("duban.items.dispatched")
                .description("Items dispatched to their units (交办)").register(registry);
        this.urges = Counter.builder("duban.urges.sent")
                .description("Urges (催办) sent to units, one per urged assignment").register(registry);
        this.open = new Snapshot<>(() -> openItems(warnings), config.metrics().refreshAfter());
        this.relay = new Snapshot<>(outbox::status, config.metrics().refreshAfter());
        for (WarningLevel level : WarningLevel.values()) {
            Gauge.builder("duban.items.open", open, s -> s.get().get(level))
                    .description("Items in handling by warning light (红黄绿灯)").tag("level", level.name())
                    .register(registry);
        }
        Gauge.builder("duban.outbox.backlog", relay, s -> s.get().pending())
                .description("Events written and not yet delivered to notification-service").register(registry);
        Gauge.builder("duban.outbox.failing", relay, s -> s.get().failing())
                .description("Waiting events that failed at least once").register(registry);
        Gauge.builder("duban.outbox.lag", relay, s -> s.get().lagSeconds()).baseUnit("seconds")
                .description("Age of the oldest waiting event (0 when none waits)").register(registry);
        FunctionCounter.builder("duban.outbox.delivered", relay, s -> s.get().deliveredByThisInstance())
                .description("Events this instance delivered").register(registry);
        FunctionCounter.builder("duban.outbox.failed.attempts", relay, s -> s.get().failedAttemptsByThisInstance())
                .description("Delivery attempts of this instance that failed").register(registry);
    }

    /** One dispatch (交办), counted if the transaction it is part of commits. */
    public void itemDispatched() {
        afterCommit.run(dispatched::increment);
    }

    /** One urged assignment (催办), counted if the transaction commits. */
    public void urgeSent() {
        afterCommit.run(urges::increment);
    }

    /** Open items by light, by the same predicate as the item list's warning filter. */
    private static Map<WarningLevel, Long> openItems(ItemWarnings warnings) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WarningPolicy policy = warnings.policy();
            Map<WarningLevel, Long> counts = new EnumMap<>(WarningLevel.class);
            for (WarningLevel level : WarningLevel.values()) {
                WarningPolicy.Predicate p = warnings.predicate(policy, level, null, false);
                TypedQuery<Long> q = SupervisionItem.getEntityManager()
                        .createQuery("select count(i) from SupervisionItem i where " + p.where(), Long.class);
                p.params().forEach(q::setParameter);
                counts.put(level, q.getSingleResult());
            }
            return counts;
        });
    }
}
