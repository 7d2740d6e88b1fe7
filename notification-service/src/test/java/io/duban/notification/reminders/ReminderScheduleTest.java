package io.duban.notification.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.security.Caller;
import io.duban.notification.support.CalendarSourceResource;
import io.duban.notification.support.Db;
import io.duban.notification.support.Intake;
import io.duban.notification.support.Story;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule against the real database and the official 2026 calendar served over HTTP, with the
 * clock pinned: each test ticks the scheduler day by day as quarkus-scheduler would, without waiting.
 *
 * <p>2026 around 国庆: 25-27 September off (中秋), 1-7 October off, Saturday 10 October a 调休 make-up
 * working day.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CalendarSourceResource.class, scope = TestResourceScope.GLOBAL)
class ReminderScheduleTest {

    private static final Caller ADMIN = new Caller("admin-t", Set.of("admin"), null);

    @Inject
    SettableClock clock;
    @Inject
    Intake intake;
    @Inject
    ReminderScheduler scheduler;
    @Inject
    ReminderPolicyService policies;

    @BeforeEach
    void defaultPolicy() {
        clock.pin(LocalDate.of(2026, 9, 1));
        policies.replace(ReminderPolicy.defaults(), null, ADMIN);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Ticks at 10:00 on every calendar day of [from, to], as the prod scheduler does all day. */
    private void tickDaily(LocalDate from, LocalDate to) {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            clock.pin(d.atTime(10, 0));
            scheduler.tick();
        }
    }

    private static Map<LocalDate, List<String>> byDay(List<Db.Row> rows, String kind) {
        return rows.stream().filter(r -> r.kind().equals(kind)).collect(Collectors.groupingBy(Db.Row::day, TreeMap::new,
                Collectors.mapping(Db.Row::subject, Collectors.toList())));
    }

    @Test
    void aDeadlineRightAfterNationalDayGivesNoRemindersDuringTheHolidayAndOneOnTheMakeUpSaturday() {
        clock.pin(LocalDateTime.of(2026, 9, 28, 9, 30));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("GQ"), LocalDate.of(2026, 10, 12)).accepted();

        tickDaily(LocalDate.of(2026, 9, 28), LocalDate.of(2026, 10, 12));

        List<Db.Row> rows = Db.notices(s.itemId());
        Map<LocalDate, List<String>> deadline = byDay(rows, "DEADLINE_REMINDER");
        String no = s.assignment().itemNumber();
        // 3 working days before Monday 12 October: 8, 9 and the make-up Saturday 10 October.
        assertEquals(Map.of(
                LocalDate.of(2026, 10, 8), List.of("【到期提醒】" + no + " 距办理期限还有3个工作日"),
                LocalDate.of(2026, 10, 10), List.of("【到期提醒】" + no + " 距办理期限还有1个工作日"),
                LocalDate.of(2026, 10, 12), List.of("【到期提醒】" + no + " 今日到期")), deadline);
        for (Db.Row r : rows) {
            assertTrue(r.day().isBefore(LocalDate.of(2026, 10, 1)) || r.day().isAfter(LocalDate.of(2026, 10, 7)),
                    "nothing during 国庆: " + r);
        }
        Db.Row makeUp = rows.stream().filter(r -> r.day().equals(LocalDate.of(2026, 10, 10))).findFirst().orElseThrow();
        assertTrue(makeUp.body().contains(s.assignment().title()) && makeUp.body().contains("2026年10月12日")
                && makeUp.body().contains("还有1个工作日"), makeUp.body());
    }

    @Test
    void escalationStepsAndOverdueRemindersSkipHolidays() {
        clock.pin(LocalDateTime.of(2026, 9, 28, 9, 30));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("ESC"), LocalDate.of(2026, 9, 30)).accepted();

        tickDaily(LocalDate.of(2026, 9, 28), LocalDate.of(2026, 10, 22));

        List<Db.Row> rows = Db.notices(s.itemId());
        // Grace 1, 2, 3, 5 working days: overdue working days are 8 (1), 9, 10 (3, make-up Saturday), 12, 13,
        // 14 (6), 15, 16, 19, 20, 21 (11) October.
        Map<String, LocalDate> escalations = rows.stream().filter(r -> r.kind().equals("ESCALATION"))
                .collect(Collectors.toMap(Db.Row::audience, Db.Row::day));
        assertEquals(Map.of("UNIT", LocalDate.of(2026, 10, 8), "UNIT_HEAD", LocalDate.of(2026, 10, 10),
                "LEADER", LocalDate.of(2026, 10, 14), "OFFICE", LocalDate.of(2026, 10, 21)), escalations);
        Db.Row office = rows.stream().filter(r -> r.audience().equals("OFFICE")).findFirst().orElseThrow();
        assertTrue(office.subject().contains("已超期11个工作日") && office.subject().contains("督查室"), office.subject());

        List<LocalDate> overdue = new ArrayList<>(byDay(rows, "OVERDUE_REMINDER").keySet());
        assertEquals(List.of(LocalDate.of(2026, 10, 8), LocalDate.of(2026, 10, 9), LocalDate.of(2026, 10, 10),
                LocalDate.of(2026, 10, 12), LocalDate.of(2026, 10, 13), LocalDate.of(2026, 10, 14),
                LocalDate.of(2026, 10, 15), LocalDate.of(2026, 10, 16), LocalDate.of(2026, 10, 19),
                LocalDate.of(2026, 10, 20), LocalDate.of(2026, 10, 21), LocalDate.of(2026, 10, 22)), overdue);
        assertTrue(byDay(rows, "OVERDUE_REMINDER").values().stream().allMatch(l -> l.size() == 1), "one a day");
    }

    @Test
    void aUnitThatHasNotAcceptedBeforeTheHolidayIsRemindedOnTheFirstWorkingDayAfterIt() {
        clock.pin(LocalDateTime.of(2026, 9, 30, 11, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("ACC"), LocalDate.of(2026, 10, 30));

        tickDaily(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 9));

        assertEquals(List.of(LocalDate.of(2026, 10, 8)), new ArrayList<>(
                byDay(Db.notices(s.itemId()), "ACCEPTANCE_REMINDER").keySet()));
    }

    @Test
    void remindersGoOutOnlyInsideOfficeHoursOnWorkingDays() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        // Friday 20 November: 3 working days before is Tuesday 17 November.
        Story s = Story.dispatched(intake, clock, Story.freshUnit("OH"), LocalDate.of(2026, 11, 20)).accepted();

        for (LocalTime early : List.of(LocalTime.of(0, 0), LocalTime.of(8, 59, 59), LocalTime.of(17, 30), LocalTime.of(23, 0))) {
            clock.pin(LocalDate.of(2026, 11, 17).atTime(early));
            scheduler.tick();
        }
        assertEquals(List.of(), Db.notices(s.itemId()), "nothing before 09:00 or from 17:30");

        clock.pin(LocalDate.of(2026, 11, 17).atTime(9, 0));
        scheduler.tick();
        assertEquals(1, Db.notices(s.itemId()).size(), "at 09:00 it goes out");

        // Saturday 21 November, the day after the deadline, is no working day: the first overdue
        // reminder waits for Monday 23 November.
        clock.pin(LocalDate.of(2026, 11, 21).atTime(10, 0));
        scheduler.tick();
        assertEquals(Set.of(), byDay(Db.notices(s.itemId()), "OVERDUE_REMINDER").keySet());
        clock.pin(LocalDate.of(2026, 11, 23).atTime(9, 0));
        scheduler.tick();
        assertEquals(Set.of(LocalDate.of(2026, 11, 23)), byDay(Db.notices(s.itemId()), "OVERDUE_REMINDER").keySet());
    }

    @Test
    void aReminderIsNeverSentTwiceForTheSameAssignmentRuleStepAndDay() throws SQLException {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("DUP"), LocalDate.of(2026, 11, 20)).accepted();
        clock.pin(LocalDateTime.of(2026, 11, 17, 9, 5));
        scheduler.tick();
        clock.pin(LocalDateTime.of(2026, 11, 17, 9, 6));
        scheduler.tick();
        // An event replans the assignment after the reminder went out: the sent one is not planned again.
        s.updated();
        clock.pin(LocalDateTime.of(2026, 11, 17, 15, 0));
        scheduler.tick();
        assertEquals(1, Db.notices(s.itemId()).size());
        assertTrue(Db.planned(s.itemId()).contains(new Db.Planned("BEFORE_DEADLINE", 3, LocalDate.of(2026, 11, 17), "SENT")));

        // The database itself refuses a second row of the same key.
        try (Connection c = Db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO planned_reminder (item_id, unit_code, rule, step, day, planned_at) VALUES (?, ?, 'BEFORE_DEADLINE', 3, ?, now())")) {
            ps.setObject(1, s.itemId());
            ps.setString(2, s.unit());
            ps.setObject(3, LocalDate.of(2026, 11, 17));
            SQLException refused = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("23505", refused.getSQLState());
        }
    }

    @Test
    void completionCancellationAndDeclineStopRemindersAtOnce() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story done = Story.dispatched(intake, clock, Story.freshUnit("STOP"), LocalDate.of(2026, 11, 20)).accepted();
        Story cancelled = Story.dispatched(intake, clock, Story.freshUnit("STOP"), LocalDate.of(2026, 11, 20)).accepted();
        Story declined = Story.dispatched(intake, clock, Story.freshUnit("STOP"), LocalDate.of(2026, 11, 20));
        clock.pin(LocalDateTime.of(2026, 11, 17, 10, 0));
        scheduler.tick();
        Map<Story, Integer> before = new java.util.HashMap<>();
        for (Story s : List.of(done, cancelled, declined)) {
            assertEquals(1, byDay(Db.notices(s.itemId()), "DEADLINE_REMINDER").size(), "the first reminder went out");
            before.put(s, Db.notices(s.itemId()).size());
        }

        done.completed();
        cancelled.cancelled();
        declined.declined();
        for (Story s : List.of(done, cancelled, declined)) {
            assertTrue(Db.planned(s.itemId()).stream().noneMatch(p -> p.status().equals("PLANNED")),
                    "nothing left planned: " + Db.planned(s.itemId()));
        }
        tickDaily(LocalDate.of(2026, 11, 18), LocalDate.of(2026, 12, 10));
        for (Story s : List.of(done, cancelled, declined)) {
            assertEquals(before.get(s), Db.notices(s.itemId()).size(), "no reminder after the stop: " + Db.notices(s.itemId()));
        }
    }

    @Test
    void anApprovedExtensionReschedulesTheReminders() {
        clock.pin(LocalDateTime.of(2026, 9, 28, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("EXT"), LocalDate.of(2026, 10, 12)).accepted();
        tickDaily(LocalDate.of(2026, 9, 28), LocalDate.of(2026, 10, 8));
        assertEquals(Set.of(LocalDate.of(2026, 10, 8)), byDay(Db.notices(s.itemId()), "DEADLINE_REMINDER").keySet());

        // Approved on 8 October: due Friday 23 October instead.
        clock.pin(LocalDateTime.of(2026, 10, 8, 14, 0));
        s.extensionApproved(LocalDate.of(2026, 10, 23));
        tickDaily(LocalDate.of(2026, 10, 9), LocalDate.of(2026, 10, 26));

        List<Db.Row> rows = Db.notices(s.itemId());
        assertEquals(Set.of(LocalDate.of(2026, 10, 8), LocalDate.of(2026, 10, 20), LocalDate.of(2026, 10, 22),
                LocalDate.of(2026, 10, 23)), byDay(rows, "DEADLINE_REMINDER").keySet());
        assertEquals(Set.of(LocalDate.of(2026, 10, 26)), byDay(rows, "OVERDUE_REMINDER").keySet(),
                "overdue only after the new deadline");
        assertTrue(byDay(rows, "DEADLINE_REMINDER").get(LocalDate.of(2026, 10, 20)).get(0).contains("还有3个工作日"));
    }

    @Test
    void aLateProgressReportIsRemindedTheWorkingDayAfterItWasDue() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("PRG"), LocalDate.of(2026, 12, 31),
                io.duban.common.domain.FeedbackCycle.WEEKLY).accepted();
        clock.pin(LocalDateTime.of(2026, 11, 5, 10, 0));
        s.progressReported();
        // Reported Thursday 5 November, weekly: due 12 November, late from Friday 13 November.
        tickDaily(LocalDate.of(2026, 11, 5), LocalDate.of(2026, 11, 16));
        assertEquals(Set.of(LocalDate.of(2026, 11, 13)), byDay(Db.notices(s.itemId()), "PROGRESS_REMINDER").keySet());
    }

    @Test
    void twoInstancesTickingAtOnceSendEachReminderOnce() throws Exception {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        List<Story> stories = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            stories.add(Story.dispatched(intake, clock, Story.freshUnit("TWO"), LocalDate.of(2026, 11, 20)).accepted());
        }
        clock.pin(LocalDateTime.of(2026, 11, 17, 10, 0));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<ReminderScheduler.Tick> instance = () -> {
                start.await();
                return scheduler.tick();
            };
            Future<ReminderScheduler.Tick> a = pool.submit(instance);
            Future<ReminderScheduler.Tick> b = pool.submit(instance);
            start.countDown();
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
        for (Story s : stories) {
            assertEquals(1, Db.notices(s.itemId()).size(), "exactly one reminder for " + s.unit());
        }
    }

    @Test
    void aTickSkipsRemindersAnotherInstanceHoldsAndTheyGoOutOnceReleased() throws Exception {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story held = Story.dispatched(intake, clock, Story.freshUnit("LCK"), LocalDate.of(2026, 11, 20)).accepted();
        Story free = Story.dispatched(intake, clock, Story.freshUnit("LCK"), LocalDate.of(2026, 11, 20)).accepted();
        clock.pin(LocalDateTime.of(2026, 11, 17, 10, 0));
        // "Instance A" has claimed the held assignment's reminders and not committed yet.
        try (Connection a = Db.connect()) {
            a.setAutoCommit(false);
            try (PreparedStatement ps = a.prepareStatement(
                    "SELECT id FROM planned_reminder WHERE item_id = ? AND status = 'PLANNED' FOR UPDATE")) {
                ps.setObject(1, held.itemId());
                ps.executeQuery().close();
            }
            scheduler.tick();
            assertEquals(List.of(), Db.notices(held.itemId()), "instance B skips what A holds, without waiting");
            assertEquals(1, Db.notices(free.itemId()).size());
            a.rollback();
        }
        scheduler.tick();
        scheduler.tick();
        assertEquals(1, Db.notices(held.itemId()).size());
        assertEquals(1, Db.notices(free.itemId()).size());
    }

    @Test
    void thePolicyDecidesWhatIsPlanned() {
        clock.pin(LocalDateTime.of(2026, 11, 2, 10, 0));
        Story s = Story.dispatched(intake, clock, Story.freshUnit("POL"), LocalDate.of(2026, 11, 20)).accepted();
        ReminderPolicy d = ReminderPolicy.defaults();
        policies.replace(new ReminderPolicy(List.of(5), false, false, 0, false, List.of(), d.officeHoursStart(),
                d.officeHoursEnd()), null, ADMIN);
        List<Db.Planned> planned = Db.planned(s.itemId()).stream().filter(p -> p.status().equals("PLANNED")).toList();
        assertEquals(List.of(new Db.Planned("BEFORE_DEADLINE", 5, LocalDate.of(2026, 11, 13), "PLANNED")), planned);
    }
}
