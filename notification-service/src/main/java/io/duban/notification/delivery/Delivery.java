package io.duban.notification.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One copy of a notice (or one webhook POST of an event) on its way: the queue and the log at once. */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    public Channel channel;

    public String kind;

    @Column(name = "notification_id")
    public UUID notificationId;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "unit_code")
    public String unitCode;

    public String username;

    /** The address; null until the directory has been asked. */
    public String recipient;

    public String subject;

    public String body;

    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** A new pending delivery, due now. */
    static Delivery pending(Channel channel, String kind, Instant now) {
        Delivery d = new Delivery();
        d.id = UUID.randomUUID();
        d.channel = channel;
        d.kind = kind;
        d.status = DeliveryStatus.PENDING;
        d.nextAttemptAt = now;
        d.createdAt = now;
        d.updatedAt = now;
        return d;
    }

    /** The same notice to another address of the same recipient (a unit with several contacts). */
    Delivery copyTo(String address, Instant now) {
        Delivery d = pending(channel, kind, now);
        d.notificationId = notificationId;
        d.itemId = itemId;
        d.unitCode = unitCode;
        d.username = username;
        d.recipient = address;
        d.subject = subject;
        d.body = body;
        return d;
    }
}
