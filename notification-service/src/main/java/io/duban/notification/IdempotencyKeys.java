package io.duban.notification;

import io.duban.common.idempotency.IdempotencyStore;
import io.duban.common.lifecycle.Draining;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Forgets Idempotency-Keys once their 48 hours are over (task-service does the same in its housekeeping). */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private final IdempotencyStore store;
    private final Clock clock;
    private final Draining draining;

    public IdempotencyKeys(IdempotencyStore store, Clock clock, Draining draining) {
        this.store = store;
        this.clock = clock;
        this.draining = draining;
    }

    @Scheduled(identity = "idempotency-key-purge", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            draining.unlessStopping(this::prune);
        } catch (RuntimeException e) {
            // The database is away: the keys stay for the next hour's purge.
            LOG.warnf("idempotency-key purge failed: %s", e.toString());
        }
    }

    /** Forgets the expired keys; returns how many. */
    public int prune() {
        return store.prune(clock.instant());
    }
}
