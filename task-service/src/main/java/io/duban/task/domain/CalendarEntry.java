package io.duban.task.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;

/** One date of an imported year that departs from Monday-Friday: a holiday or a 调休 make-up day. */
@Entity
@Table(name = "calendar_day")
public class CalendarEntry extends PanacheEntityBase {

    @Id
    public LocalDate date;

    public int year;

    public String name;

    @Column(name = "off_day")
    public boolean offDay;
}
