package io.duban.notification.subscriptions;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Another system's subscription to task-service's events, delivered as signed webhook POSTs. */
@Entity
@Table(name = "subscription")
public class Subscription extends PanacheEntityBase {

    /** In {@link #eventTypes}: every event type. */
    public static final String ALL_TYPES = "*";

    @Id
    public UUID id;

    public String url;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types")
    public String[] eventTypes;

    /** The HMAC key; never leaves the service. */
    public String secret;

    public String description;

    public boolean active;

    /** Counted up by every change (a stop): the subscription's ETag. */
    @Version
    public long version;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    public boolean wants(String eventType) {
        for (String t : eventTypes) {
            if (t.equals(ALL_TYPES) || t.equals(eventType)) {
                return true;
            }
        }
        return false;
    }
}
