package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A department (承办单位) with a stable code such as FGW for 区发改委. */
@Entity
@Table(name = "unit")
public class Unit extends PanacheEntityBase {

    @Id
    public String code;

    public String name;

    @Column(name = "short_name")
    public String shortName;

    @Column(name = "parent_code")
    public String parentCode;

    @Column(name = "contact_email")
    public String contactEmail;

    public String phone;

    public boolean active = true;

    /** Incremented by every change: the unit's ETag, checked against If-Match. */
    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;
}
