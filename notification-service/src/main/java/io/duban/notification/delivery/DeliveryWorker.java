package io.duban.notification.delivery;

import io.duban.common.lifecycle.Draining;
import io.duban.common.time.Backoff;
import io.duban.notification.directory.Directory;
import io.duban.notification.directory.DirectoryUnavailableException;
import io.duban.notification.directory.UnitContacts;
import io.duban.notification.observe.NotificationMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Sends what is due. Each delivery is claimed with {@code FOR UPDATE SKIP LOCKED} in a transaction of
 * its own that lasts until its attempt is recorded, so that any number of instances share the queue
 * and none sends a delivery another is sending. A failed attempt waits {@link Backoff}; after
 * duban.delivery.max-attempts it is FAILED, visible in GET /api/v1/deliveries, until an admin retries.
 * On SIGTERM ({@link Draining}) the attempt under way is recorded and no further delivery is claimed.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final DeliveryConfig config;
    private final Directory directory;
    private final EmailSender email;
    private final SmsGateway sms;
    private final WebhookSender webhooks;
    private final EntityManager em;
    private final Clock clock;
    private final Draining draining;
    private final NotificationMetrics metrics;
    private final RandomGenerator random = RandomGenerator.getDefault();

    public DeliveryWorker(DeliveryConfig config, Directory directory, EmailSender email, SmsGateway sms,
            WebhookSender webhooks, EntityManager em, Clock clock, Draining draining, NotificationMetrics metrics) {
        this.config = config;
        this.draining = draining;
        this.directory = directory;
        this.email = email;
        this.sms = sms;
        this.webhooks = webhooks;
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(identity = "delivery-worker", every = "{duban.delivery.tick-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            draining.unlessStopping(this::tick);
        } catch (RuntimeException e) {
            // The database is away (restarting, failing over): the claimed rows roll back, the next tick tries again.
            LOG.warnf("delivery tick failed: %s", e.toString());
        }
    }

    /**
     * Attempts every due delivery, up to duban.delivery.batch-size; returns how many were attempted.
     * Once the service is shutting down no further delivery is claimed (the one under way is recorded).
     */
    public int tick() {
        int attempted = 0;
        while (attempted < config.batchSize() && !draining.stopping()) {
            if (!QuarkusTransaction.requiringNew().call(this::attemptNext)) {
                break;
            }
            attempted++;
        }
        return attempted;
    }

    private boolean attemptNext() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Delivery> due = em.createNativeQuery("""
                SELECT * FROM delivery
                WHERE status = 'PENDING' AND next_attempt_at <= :now
                ORDER BY next_attempt_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED""", Delivery.class).setParameter("now", now).getResultList();
        if (due.isEmpty()) {
            return false;
        }
        attempt(due.get(0), now);
        return true;
    }

    private void attempt(Delivery d, Instant now) {
        d.attempts++;
        d.updatedAt = now;
        try {
            if (d.recipient == null) {
                resolve(d, now);
            }
            switch (d.channel) {
                case EMAIL -> email.send(d);
                case SMS -> sms.send(d);
                case WEBHOOK -> webhooks.send(d);
            }
            d.status = DeliveryStatus.SENT;
            d.sentAt = now;
            d.nextAttemptAt = null;
            metrics.deliverySent(d.channel);
        } catch (NothingToSendException e) {
            d.status = DeliveryStatus.SKIPPED;
            d.nextAttemptAt = null;
            d.lastError = e.getMessage();
        } catch (DeliveryFailedException | DirectoryUnavailableException e) {
            failed(d, now, e.getMessage());
        } catch (RuntimeException e) {
            // Not foreseen (a gateway URL that is no URL, ...): an attempt that failed all the same.
            failed(d, now, Errors.describe(e));
        }
    }

    private void failed(Delivery d, Instant now, String error) {
        d.lastError = Errors.truncate(error);
        metrics.deliveryFailed(d.channel, d.attempts >= config.maxAttempts());
        if (d.attempts >= config.maxAttempts()) {
            d.status = DeliveryStatus.FAILED;
            d.nextAttemptAt = null;
            LOG.warnf("delivery %s (%s to %s) failed after %d attempts: %s", d.id, d.channel, d.recipient,
                    d.attempts, d.lastError);
        } else {
            d.nextAttemptAt = now.plus(config.backoff().after(d.attempts, random));
        }
    }

    /**
     * Fills in the address from the directory: the person's, or for a unit its own and its handlers'.
     * Further addresses of the same recipient become deliveries of their own, due now.
     */
    private void resolve(Delivery d, Instant now) {
        UnitContacts unit = directory.unit(d.unitCode)
                .orElseThrow(() -> new NothingToSendException("目录中没有单位 " + d.unitCode));
        Function<String, String> nothing = what -> "目录中没有" + what;
        Set<String> addresses = new LinkedHashSet<>();
        Optional<UnitContacts.Person> person = d.username == null ? Optional.empty() : unit.person(d.username);
        boolean byEmail = d.channel == Channel.EMAIL;
        if (person.isPresent()) {
            add(addresses, byEmail ? person.get().email() : person.get().phone());
        } else {
            add(addresses, byEmail ? unit.email() : unit.phone());
            for (UnitContacts.Person p : unit.people()) {
                if ("handler".equalsIgnoreCase(p.role())) {
                    add(addresses, byEmail ? p.email() : p.phone());
                }
            }
        }
        if (addresses.isEmpty()) {
            String who = d.username != null ? "人员 " + d.username : "单位 " + d.unitCode;
            throw new NothingToSendException(nothing.apply(who + (byEmail ? " 的电子邮箱" : " 的手机号码")));
        }
        List<String> list = List.copyOf(addresses);
        d.recipient = list.get(0);
        for (String more : list.subList(1, list.size())) {
            d.copyTo(more, now).persist();
        }
        em.flush();
    }

    private static void add(Set<String> addresses, String address) {
        if (address != null && !address.isBlank()) {
            addresses.add(address.strip());
        }
    }
}
