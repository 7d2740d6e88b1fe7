package io.duban.task.domain;

import io.duban.common.security.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** Somebody who signs in: `username` is the JWT subject. */
@Entity
@Table(name = "person")
public class Person extends PanacheEntityBase {

    @Id
    public UUID id;

    public String username;

    public String name;

    @Column(name = "unit_code")
    public String unitCode;

    @Enumerated(EnumType.STRING)
    public Role role;

    public String title;

    public String email;

    public String phone;

    /** False once the person has left: kept for the records, no longer sent reminders. */
    public boolean active = true;

    /** Incremented by every change: the person's ETag, checked against If-Match. */
    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;
}
