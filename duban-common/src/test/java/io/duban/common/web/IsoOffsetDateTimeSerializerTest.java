package io.duban.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class IsoOffsetDateTimeSerializerTest {

    /** As Quarkus builds it: the java.time module, dates as text, then Duban's customizer. */
    private static ObjectMapper duban() {
        ObjectMapper m = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        new JsonConfig(ZoneId.of("Asia/Shanghai")).customize(m);
        return m;
    }

    /** The same without Duban's serializer: what Jackson itself writes. */
    private static ObjectMapper jackson() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Test
    void theCustomizedMapperUsesItForOffsetDateTimes() throws Exception {
        assertInstanceOf(IsoOffsetDateTimeSerializer.class,
                duban().getSerializerProviderInstance().findValueSerializer(OffsetDateTime.class));
    }

    @Test
    void writesWhatJacksonAndTheIsoFormatterWriteForAnyInstantNanosAndOffset() throws Exception {
        ObjectMapper duban = duban();
        ObjectMapper jackson = jackson();
        Random r = new Random(20261128);
        long min = OffsetDateTime.parse("0000-01-01T00:00:00Z").toEpochSecond();
        long max = OffsetDateTime.parse("9999-12-31T23:59:59Z").toEpochSecond() - 18 * 3600;
        for (int i = 0; i < 100_000; i++) {
            long second = i % 2 == 0
                    ? min + 18 * 3600 + Math.floorMod(r.nextLong(), max - min - 18 * 3600)
                    // most of Duban's timestamps: this century
                    : 946_684_800L + Math.floorMod(r.nextLong(), 100L * 366 * 86_400);
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000; // milliseconds
                case 2 -> r.nextInt(1_000_000) * 1_000; // microseconds, as PostgreSQL stores them
                case 3 -> r.nextInt(1_000_000_000);
                default -> (r.nextInt(9) + 1) * (int) Math.pow(10, r.nextInt(9)); // one digit somewhere
            };
            ZoneOffset offset = switch (i % 4) {
                case 0 -> ZoneOffset.ofHours(8);
                case 1 -> ZoneOffset.UTC;
                case 2 -> ZoneOffset.ofTotalSeconds((r.nextInt(35) - 17) * 3600 + (r.nextInt(4) - 2) * 15 * 60);
                default -> ZoneOffset.ofTotalSeconds(r.nextInt(2 * 18 * 3600 + 1) - 18 * 3600); // with seconds
            };
            OffsetDateTime t = Instant.ofEpochSecond(second, nano).atOffset(offset);
            String expected = "\"" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t) + "\"";
            assertEquals(expected, duban.writeValueAsString(t), t::toString);
            assertEquals(jackson.writeValueAsString(t), duban.writeValueAsString(t), t::toString);
        }
    }

    @Test
    void theEdgesOfEachField() throws Exception {
        ObjectMapper duban = duban();
        for (String s : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-18:00",
                "2026-02-28T23:59:59.1+08:00", "2026-11-28T09:05:00.000000001+14:00", "2026-11-28T00:00:00.100-00:30",
                "2024-02-29T12:00:00+05:45:30", "2026-10-01T08:00:00.365107+08:00")) {
            OffsetDateTime t = OffsetDateTime.parse(s);
            assertEquals("\"" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t) + "\"", duban.writeValueAsString(t));
        }
    }

    record Formatted(@JsonFormat(pattern = "yyyy/MM/dd HH:mm") OffsetDateTime at, OffsetDateTime plain) {
    }

    @Test
    void leavesToJacksonWhatItDoesNotWriteAsIso() throws Exception {
        OffsetDateTime t = OffsetDateTime.parse("2026-11-28T09:30:05.365107+08:00");
        // a pattern on the property
        Formatted f = new Formatted(t, t);
        assertEquals(jackson().writeValueAsString(f), duban().writeValueAsString(f));
        assertEquals("{\"at\":\"2026/11/28 09:30\",\"plain\":\"2026-11-28T09:30:05.365107+08:00\"}",
                duban().writeValueAsString(f));
        // timestamps as numbers
        assertEquals(jackson().enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(t),
                duban().enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(t));
        // a mapper time zone, which Jackson converts to
        TimeZone utc = TimeZone.getTimeZone(ZoneId.of("UTC"));
        assertEquals("\"2026-11-28T01:30:05.365107Z\"", jackson().setTimeZone(utc).writeValueAsString(t));
        assertEquals(jackson().setTimeZone(utc).writeValueAsString(t), duban().setTimeZone(utc).writeValueAsString(t));
        // a year past 9999
        OffsetDateTime far = OffsetDateTime.parse("+10000-01-01T00:00:00Z");
        assertEquals(jackson().writeValueAsString(far), duban().writeValueAsString(far));
    }

    @Test
    void instantsAreWrittenOnTheOfficeClockWithItsOffset() throws Exception {
        ObjectMapper duban = duban();
        assertEquals("\"2026-10-12T23:59:59.999+08:00\"", duban.writeValueAsString(Instant.parse("2026-10-12T15:59:59.999Z")));
        assertEquals("\"2026-10-13T00:00:00+08:00\"", duban.writeValueAsString(Instant.parse("2026-10-12T16:00:00Z")));
        // The same instant, read back by Jackson's own deserializer.
        Instant t = Instant.parse("2026-03-01T01:02:03.000456Z");
        assertEquals(t, duban.readValue(duban.writeValueAsString(t), Instant.class));
    }
}
