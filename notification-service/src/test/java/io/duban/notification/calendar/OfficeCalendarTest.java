package io.duban.notification.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.calendar.CalendarDay;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.security.Caller;
import io.duban.notification.reminders.ReminderPolicy;
import io.duban.notification.reminders.ReminderPolicyService;
import io.duban.notification.support.CalendarSourceResource;
import io.duban.notification.support.Db;
import io.duban.notification.support.Intake;
import io.duban.notification.support.Story;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The calendar comes from task-service over real HTTP (CalendarSourceResource answers as task-service's
 * CalendarResource does, with the official 2024-2026 data) and a change there reaches the schedule:
 * by the periodic refresh, and at once by a DEADLINE_CHANGED event with reason CALENDAR.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CalendarSourceResource.class, scope = TestResourceScope.GLOBAL)
class OfficeCalendarTest {

    @Inject
    OfficeCalendar calendar;
    @Inject
    CalendarSourceConfig source;
    @Inject
    SettableClock clock;
    @Inject
    Intake intake;
    @Inject
    ReminderPolicyService policies;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void putBackTheOfficialYear() throws Exception {
        serve(HolidayCnFormat.shipped(2026).orElseThrow());
        calendar.forget();
        calendar.refresh();
        clock.reset();
    }

    @Test
    void workingDaysComeFromTaskServiceOverHttp() {
        assertFalse(calendar.isWorkingDay(LocalDate.of(2026, 10, 1)), "国庆");
        assertTrue(calendar.isWorkingDay(LocalDate.of(2026, 10, 10)), "the make-up Saturday");
        assertTrue(calendar.isWorkingDay(LocalDate.of(2026, 9, 20)), "the make-up Sunday before 中秋");
        assertFalse(calendar.isWorkingDay(LocalDate.of(2026, 10, 11)), "a plain Sunday");
        assertEquals(LocalDate.of(2026, 10, 8), calendar.workingDays().addWorkingDays(LocalDate.of(2026, 9, 30), 1));
        assertEquals(LocalDate.of(2026, 10, 8), calendar.workingDays().before(LocalDate.of(2026, 10, 12), 3));
    }

    @Test
    void aChangedCalendarIsReadAgainAndTheScheduleFollowsIt() throws Exception {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        policies.replace(ReminderPolicy.defaults(), null, new Caller("admin-t", Set.of("admin"), null));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("CAL"), LocalDate.of(2026, 11, 20)).accepted();
        assertTrue(Db.planned(s.itemId()).contains(new Db.Planned("BEFORE_DEADLINE", 3, LocalDate.of(2026, 11, 17), "PLANNED")));

        // The office declares Tuesday 17 November a day off in task-service: 3 working days before
        // Friday 20 November is now Monday 16 November.
        serve(withDayOff(LocalDate.of(2026, 11, 17), "临时调整"));
        int before = requests();
        clock.advance(Duration.ofMinutes(5));
        assertTrue(calendar.refresh(), "the periodic refresh sees the change");
        assertTrue(requests() > before);
        assertFalse(calendar.isWorkingDay(LocalDate.of(2026, 11, 17)));
        assertTrue(Db.planned(s.itemId()).contains(new Db.Planned("BEFORE_DEADLINE", 3, LocalDate.of(2026, 11, 16), "PLANNED")),
                Db.planned(s.itemId()).toString());

        // Back to the official year; this time the event task-service sends for a recomputed deadline
        // makes the service read the calendar at once.
        serve(HolidayCnFormat.shipped(2026).orElseThrow());
        clock.advance(Duration.ofMinutes(5));
        int beforeEvent = requests();
        s.deadlineRecomputed(LocalDate.of(2026, 11, 20));
        assertTrue(requests() > beforeEvent, "DEADLINE_CHANGED (CALENDAR) fetched the calendar");
        assertTrue(calendar.isWorkingDay(LocalDate.of(2026, 11, 17)));
        assertTrue(Db.planned(s.itemId()).contains(new Db.Planned("BEFORE_DEADLINE", 3, LocalDate.of(2026, 11, 17), "PLANNED")),
                Db.planned(s.itemId()).toString());
    }

    private static HolidayCnFormat.Year withDayOff(LocalDate day, String name) {
        HolidayCnFormat.Year official = HolidayCnFormat.shipped(day.getYear()).orElseThrow();
        List<CalendarDay> days = new ArrayList<>(official.days());
        days.add(new CalendarDay(day, name, true));
        return new HolidayCnFormat.Year(official.year(), official.papers(), days);
    }

    private void serve(HolidayCnFormat.Year year) throws IOException, InterruptedException {
        HttpRequest put = HttpRequest.newBuilder(source.url().resolve("/api/v1/calendar/" + year.year()))
                .header("Authorization", "Bearer " + DevTokens.token("notification-service", "service", null))
                .PUT(HttpRequest.BodyPublishers.ofString(HolidayCnFormat.write(year))).build();
        assertEquals(200, http.send(put, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private int requests() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(source.url().resolve("/test/requests")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Integer.parseInt(r.body());
    }
}
