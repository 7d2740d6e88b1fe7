package io.duban.notification.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.common.calendar.WorkingDayCalculator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Office hours on working days, on the official 2026 calendar. */
class WorkingHoursTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final WorkingDayCalculator CAL = new WorkingDayCalculator(Map.of(2026,
            HolidayCnFormat.shipped(2026).orElseThrow().days()));
    private static final WorkingHours HOURS = new WorkingHours(LocalTime.of(9, 0), LocalTime.of(17, 30), ZONE);

    private static Instant at(int month, int day, int hour, int minute) {
        return LocalDateTime.of(2026, month, day, hour, minute).atZone(ZONE).toInstant();
    }

    @Test
    void officeHoursAreFromStartToEndExclusiveOnWorkingDaysOnly() {
        assertTrue(HOURS.contains(at(10, 10, 9, 0), CAL::isWorkingDay), "the make-up Saturday");
        assertFalse(HOURS.contains(at(10, 10, 17, 30), CAL::isWorkingDay));
        assertFalse(HOURS.contains(at(10, 10, 8, 59), CAL::isWorkingDay));
        assertFalse(HOURS.contains(at(10, 1, 10, 0), CAL::isWorkingDay), "国庆");
        assertFalse(HOURS.contains(at(10, 11, 10, 0), CAL::isWorkingDay), "Sunday");
    }

    @Test
    void aWaitCountsOnlyOfficeHoursOfWorkingDays() {
        // Wednesday 30 September 16:30 to Thursday 8 October 10:00: one hour, 国庆, one hour.
        assertEquals(Duration.ofHours(2), HOURS.between(at(9, 30, 16, 30), at(10, 8, 10, 0), CAL::isWorkingDay));
        // Friday 9 October 17:00 to Monday 12 October 09:30: 30 min, the make-up Saturday's 8.5 hours, 30 min.
        assertEquals(Duration.ofMinutes(30 + 510 + 30), HOURS.between(at(10, 9, 17, 0), at(10, 12, 9, 30), CAL::isWorkingDay));
        assertEquals(Duration.ZERO, HOURS.between(at(10, 12, 9, 30), at(10, 9, 17, 0), CAL::isWorkingDay));
        assertEquals(Duration.ZERO, HOURS.between(at(10, 12, 18, 0), at(10, 12, 23, 0), CAL::isWorkingDay));
    }
}
