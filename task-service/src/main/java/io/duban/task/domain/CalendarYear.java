package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A year of the working-day calendar the office has imported. */
@Entity
@Table(name = "calendar_year")
public class CalendarYear extends PanacheEntityBase {

    @Id
    public int year;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> papers;

    @Column(name = "imported_by")
    public String importedBy;

    @Column(name = "imported_at")
    public Instant importedAt;

    /** Incremented by every import of the year: its ETag, checked against If-Match. */
    @Version
    public long version;
}
