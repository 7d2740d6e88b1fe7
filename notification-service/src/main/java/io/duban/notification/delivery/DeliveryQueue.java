package io.duban.notification.delivery;

import io.duban.common.events.Events;
import io.duban.notification.subscriptions.Subscription;
import io.duban.notification.subscriptions.Subscriptions;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.NotificationCreated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues deliveries in the transaction of what causes them, so that a notice or an applied event has
 * its copies queued exactly when it is itself committed: a notice (NotificationCreated) gets an e-mail
 * and an SMS copy for its recipient, whose addresses the worker looks up later; an applied event
 * (EventApplied) gets one webhook POST per subscription that wants its type.
 */
@ApplicationScoped
public class DeliveryQueue {

    private final DeliveryConfig config;
    private final NoticeTemplates templates;
    private final SmsGateway sms;
    private final Subscriptions subscriptions;
    private final EntityManager em;
    private final Clock clock;

    public DeliveryQueue(DeliveryConfig config, NoticeTemplates templates, SmsGateway sms, Subscriptions subscriptions,
            EntityManager em, Clock clock) {
        this.config = config;
        this.templates = templates;
        this.sms = sms;
        this.subscriptions = subscriptions;
        this.em = em;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void onNotice(@Observes NotificationCreated notice) {
        Instant now = clock.instant();
        if (config.email().enabled()) {
            NoticeTemplates.Email email = templates.email(notice);
            Delivery d = forNotice(Channel.EMAIL, notice, now);
            d.subject = email.subject();
            d.body = email.body();
            d.persist();
        }
        if (sms.configured()) {
            Delivery d = forNotice(Channel.SMS, notice, now);
            d.body = templates.sms(notice);
            d.persist();
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void onEvent(@Observes EventApplied applied) {
        String type = applied.event().type().name();
        String body = null;
        Instant now = clock.instant();
        for (Subscription s : subscriptions.wanting(type)) {
            if (body == null) {
                body = Events.toJson(applied.event());
            }
            // Once per (subscription, event), however often the event is applied.
            em.createNativeQuery("""
                    INSERT INTO delivery (id, channel, kind, event_id, subscription_id, item_id, unit_code, recipient,
                                          body, status, attempts, next_attempt_at, created_at, updated_at)
                    VALUES (:id, 'WEBHOOK', :kind, :event, :subscription, :item, :unit, :url,
                            :body, 'PENDING', 0, :now, :now, :now)
                    ON CONFLICT DO NOTHING""")
                    .setParameter("id", UUID.randomUUID()).setParameter("kind", type)
                    .setParameter("event", applied.event().eventId()).setParameter("subscription", s.id)
                    .setParameter("item", applied.event().itemId()).setParameter("unit", applied.event().unitCode())
                    .setParameter("url", s.url).setParameter("body", body).setParameter("now", now)
                    .executeUpdate();
        }
    }

    private static Delivery forNotice(Channel channel, NotificationCreated notice, Instant now) {
        Delivery d = Delivery.pending(channel, notice.kind(), now);
        d.notificationId = notice.notificationId();
        d.itemId = notice.itemId();
        d.unitCode = notice.unitCode();
        d.username = notice.username();
        return d;
    }
}
