package io.duban.task.service;

import io.duban.common.idempotency.IdempotencyStore;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.SupervisionItem;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Forgets what has outlived its promise: idempotency keys after 48 hours, feed changes after retention. */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final Clock clock;
    private final int retentionDays;
    private final IdempotencyStore idempotency;

    public Housekeeping(Clock clock, DubanConfig config, IdempotencyStore idempotency) {
        this.clock = clock;
        this.retentionDays = config.feed().retentionDays();
        this.idempotency = idempotency;
    }

    /** What a prune removed. */
    public record Pruned(long idempotencyKeys, int feedChanges) {
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        prune();
    }

    @Transactional
    public Pruned prune() {
        Instant now = clock.instant();
        long keys = idempotency.prune(now);
        // One day beyond the token retention, so that every token still accepted finds its changes.
        int changes = SupervisionItem.getEntityManager()
                .createNativeQuery("DELETE FROM assignment_change WHERE changed_at < ?1")
                .setParameter(1, now.minus(Duration.ofDays(retentionDays + 1L))).executeUpdate();
        if (keys > 0 || changes > 0) {
            LOG.infof("pruned %d idempotency keys and %d feed changes", keys, changes);
        }
        return new Pruned(keys, changes);
    }
}
