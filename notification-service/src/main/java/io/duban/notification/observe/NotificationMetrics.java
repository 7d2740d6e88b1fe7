package io.duban.notification.observe;

import io.duban.common.observe.AfterCommit;
import io.duban.notification.delivery.Channel;
import io.duban.notification.reminders.Rule;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.NotificationCreated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * notification-service's business metrics at /q/metrics (README "Metrics"): events applied and how
 * long after they occurred, notices created by kind (the reminders, escalations and urges), and
 * deliveries sent and failed by channel. Each moves when its transaction commits.
 */
@Startup
@ApplicationScoped
public class NotificationMetrics {

    /** Buckets of the processing lag, from "at once" to "the relay was down for an hour". */
    private static final Duration[] LAG_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)};

    /** The kind of an urge's notice (NoticeTexts.urge). */
    private static final String URGE = "URGE";

    private final MeterRegistry registry;
    private final AfterCommit afterCommit;
    private final Clock clock;
    private final Timer lag;
    private final Counter applied;
    private final Map<Channel, Counter> sent = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> retrying = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> failed = new EnumMap<>(Channel.class);

    public NotificationMetrics(MeterRegistry registry, AfterCommit afterCommit, Clock clock) {
        this.registry = registry;
        this.afterCommit = afterCommit;
        this.clock = clock;
        this.lag = Timer.builder("duban.events.processing.lag")
                .description("From an event's occurredAt in task-service to its application here")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry);
        this.applied = Counter.builder("duban.events.applied")
                .description("task-service events applied (redeliveries not counted)").register(registry);
        // Every kind the service writes is there from the start, at 0 (the rules' kinds and URGE).
        for (Rule rule : Rule.values()) {
            notices(rule.kind());
        }
        notices(URGE);
        for (Channel channel : Channel.values()) {
            String name = channel.name();
            sent.put(channel, Counter.builder("duban.deliveries.sent").description("Deliveries sent")
                    .tag("channel", name).register(registry));
            retrying.put(channel, Counter.builder("duban.deliveries.failed")
                    .description("Failed delivery attempts: retry (tried again later) or failed (given up)")
                    .tag("channel", name).tag("outcome", "retry").register(registry));
            failed.put(channel, Counter.builder("duban.deliveries.failed")
                    .description("Failed delivery attempts: retry (tried again later) or failed (given up)")
                    .tag("channel", name).tag("outcome", "failed").register(registry));
        }
    }

    /** The event and all its effects are committed: its lag is what the dashboards call processing lag. */
    void eventApplied(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventApplied applied) {
        Duration since = Duration.between(applied.event().occurredAt().toInstant(), clock.instant());
        lag.record(since.isNegative() ? Duration.ZERO : since);
        this.applied.increment();
    }

    /** A reminder, escalation or urge landed in the inbox. The kinds are the rules' and URGE: a few. */
    void noticeCreated(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationCreated notice) {
        notices(notice.kind()).increment();
    }

    private Counter notices(String kind) {
        return Counter.builder("duban.notices.created").description("Notices written to the inbox, by kind")
                .tag("kind", kind).register(registry);
    }

    public void deliverySent(Channel channel) {
        afterCommit.run(sent.get(channel)::increment);
    }

    /** A failed attempt; gaveUp when it was the last one (the delivery is FAILED until an admin retries). */
    public void deliveryFailed(Channel channel, boolean gaveUp) {
        afterCommit.run((gaveUp ? failed : retrying).get(channel)::increment);
    }
}
