package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The first response to a creation with an Idempotency-Key, kept to replay to retries. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyRecord.Key.class)
public class IdempotencyRecord extends PanacheEntityBase {

    @Id
    public String caller;

    @Id
    public String key;

    @Column(name = "request_hash")
    public String requestHash;

    public int status;

    public String location;

    public String etag;

    public String body;

    @Column(name = "created_at")
    public Instant createdAt;

    public record Key(String caller, String key) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
