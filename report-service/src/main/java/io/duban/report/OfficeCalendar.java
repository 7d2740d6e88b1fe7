package io.duban.report;

import io.duban.common.calendar.CalendarDay;
import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.warning.WarningPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The office as task-service publishes it in the reporting views: its zone, its yellow threshold and
 * its working-day calendar, turned back into duban-common's {@link WorkingDayCalculator} so that the
 * warning rules are the very ones task-service applies ({@link WarningPolicy}).
 */
@ApplicationScoped
public class OfficeCalendar {

    /** The office on one day. */
    public record Office(ZoneId zone, int yellowWorkingDays, WorkingDayCalculator calendar) {

        public WarningPolicy policy(LocalDate today) {
            return new WarningPolicy(today, yellowWorkingDays, calendar);
        }
    }

    /** The office last read, and the calendar refresh it was built from. */
    private record Read(Office office, Object calendarRefreshedAt) {
    }

    private volatile Read last;

    /** The office now: its settings read every time, its calendar rebuilt only when task-service refreshed it. */
    public Office read(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            ZoneId zone;
            int yellow;
            Object refreshed;
            try (ResultSet rs = s.executeQuery("SELECT zone, yellow_working_days, calendar_refreshed_at FROM reporting.office")) {
                rs.next();
                zone = ZoneId.of(rs.getString(1));
                yellow = rs.getInt(2);
                refreshed = rs.getObject(3, java.time.OffsetDateTime.class);
            }
            Read cached = last;
            if (cached != null && refreshed != null && refreshed.equals(cached.calendarRefreshedAt())) {
                return new Office(zone, yellow, cached.office().calendar());
            }
            // The calendar's known years and their departures from Monday-Friday.
            Map<Integer, List<CalendarDay>> departures = new HashMap<>();
            try (ResultSet rs = s.executeQuery("""
                    SELECT day, working, extract(isodow FROM day) >= 6 AS weekend
                      FROM reporting.working_day
                     WHERE calendar_known AND (working = (extract(isodow FROM day) >= 6) OR extract(doy FROM day) = 1)
                     ORDER BY day""")) {
                while (rs.next()) {
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    List<CalendarDay> year = departures.computeIfAbsent(day.getYear(), y -> new ArrayList<>());
                    boolean working = rs.getBoolean(2);
                    boolean weekend = rs.getBoolean(3);
                    if (working == weekend) {
                        year.add(new CalendarDay(day, working ? "调休" : "节假日", !working));
                    }
                }
            }
            Office office = new Office(zone, yellow, new WorkingDayCalculator(departures));
            last = new Read(office, refreshed);
            return office;
        }
    }
}
