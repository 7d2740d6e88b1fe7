package io.duban.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClockProducerTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static OfficeConfig office(String clockStart) {
        return new OfficeConfig() {
            @Override
            public ZoneId zone() {
                return SHANGHAI;
            }

            @Override
            public Optional<LocalDateTime> clockStart() {
                return Optional.ofNullable(clockStart).map(LocalDateTime::parse);
            }
        };
    }

    @Test
    void withoutClockStartTheOfficeClockIsTheSystemClock() {
        Clock system = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), SHANGHAI);
        assertSame(system, ClockProducer.startingAt(system, office(null)));
    }

    @Test
    void clockStartIsReadInTheOfficeZoneAndTheClockRunsOnFromIt() {
        Instant[] real = { Instant.parse("2026-11-28T00:00:00Z") };
        Clock system = new Clock() {
            @Override
            public ZoneId getZone() {
                return SHANGHAI;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return real[0];
            }
        };
        Clock office = ClockProducer.startingAt(system, office("2026-10-09T10:00"));
        assertEquals(Instant.parse("2026-10-09T02:00:00Z"), office.instant(), "10:00 in Shanghai");
        assertEquals(SHANGHAI, office.getZone());

        real[0] = real[0].plus(Duration.ofMinutes(90));
        assertEquals(Instant.parse("2026-10-09T03:30:00Z"), office.instant(), "runs forward at the real pace");
    }
}
