package io.duban.notification.events;

import io.duban.common.lifecycle.Draining;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Forgets the ids of events applied long ago. The intake keeps one row per applied event
 * ({@link EventIntake}) so that a redelivery changes nothing; task-service sends an event again only
 * while its outbox row waits for an answer (the relay's longest wait between attempts is 5 minutes),
 * so an id need not be kept for years: a city's three years of events would be millions of rows.
 *
 * <p>The retention ({@code duban.events.processed-retention}, 90 days) must exceed the longest time in
 * which task-service could send an applied event again: notification-service's longest outage after
 * applying an event it could not answer for, and the age of a task-service backup restored without
 * this schema (ops/backup-restore.sh restores all schemas together, ids included). An event sent again
 * after its id was forgotten is applied again.
 *
 * <p>Rows go in batches, each in a transaction of its own, so that the first purge of a large table
 * holds no long transaction; several instances may purge at once (each batch deletes what is still there).
 */
@Startup // a retention under a day stops the start, not the first purge an hour later
@ApplicationScoped
public class ProcessedEvents {

    private static final Logger LOG = Logger.getLogger(ProcessedEvents.class);
    static final int BATCH = 10_000;

    private final EntityManager em;
    private final Clock clock;
    private final Duration retention;
    private final Draining draining;

    public ProcessedEvents(EntityManager em, Clock clock, Draining draining,
            @ConfigProperty(name = "duban.events.processed-retention") Duration retention) {
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException(
                    "duban.events.processed-retention must be at least one day (P1D), not " + retention);
        }
        this.em = em;
        this.clock = clock;
        this.draining = draining;
        this.retention = retention;
    }

    @Scheduled(identity = "processed-event-purge", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            draining.unlessStopping(this::purge);
        } catch (RuntimeException e) {
            // The database is away: what was not deleted stays for the next hour's purge.
            LOG.warnf("processed-event purge failed: %s", e.toString());
        }
    }

    /** Forgets the events applied before the retention; returns how many. */
    public long purge() {
        return purgeBefore(clock.instant().minus(retention), BATCH);
    }

    long purgeBefore(Instant appliedBefore, int batch) {
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    DELETE FROM processed_event WHERE event_id IN (
                        SELECT event_id FROM processed_event WHERE applied_at < ?1 LIMIT ?2)""")
                    .setParameter(1, appliedBefore.atOffset(ZoneOffset.UTC))
                    .setParameter(2, batch)
                    .executeUpdate());
            total += deleted;
        } while (deleted == batch && !draining.stopping());
        if (total > 0) {
            LOG.infof("forgot %d events applied before %s", total, appliedBefore);
        }
        return total;
    }
}
