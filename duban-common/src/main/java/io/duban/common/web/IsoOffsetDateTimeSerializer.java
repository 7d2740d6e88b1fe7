package io.duban.common.web;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.ser.OffsetDateTimeSerializer;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes an {@link OffsetDateTime} exactly as Jackson's own serializer does with Duban's settings
 * ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}: {@code 2026-11-28T09:30:05.365107+08:00}), digit by
 * digit instead of through the formatter's printer chain. Every timestamp of every answer goes
 * through here: a mobile feed page of 200 rows writes 400 of them, and the formatter was ~7% of the
 * page's CPU (bench/results.md). Anything else (timestamps as numbers, a {@code @JsonFormat}, a mapper
 * time zone that Jackson would convert to, a year outside 0000-9999) is left to Jackson's serializer.
 */
public final class IsoOffsetDateTimeSerializer extends StdSerializer<OffsetDateTime> implements ContextualSerializer {

    private static final JsonSerializer<OffsetDateTime> JACKSON = OffsetDateTimeSerializer.INSTANCE;

    public IsoOffsetDateTimeSerializer() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        int year = value.getYear();
        if (year < 0 || year > 9999 || provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                || provider.getConfig().hasExplicitTimeZone()
                        && provider.isEnabled(SerializationFeature.WRITE_DATES_WITH_CONTEXT_TIME_ZONE)) {
            JACKSON.serialize(value, gen, provider);
            return;
        }
        char[] buf = new char[40]; // the longest: 9999-12-31T23:59:59.999999999+18:00:00 (38)
        int n = format(value, buf);
        gen.writeString(buf, 0, n);
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
            throws JsonMappingException {
        JsonFormat.Value format = property == null ? null : findFormatOverrides(provider, property, handledType());
        if (format != null && (format.hasPattern() || format.hasShape() || format.hasLocale() || format.hasTimeZone()
                || format.getFeature(JsonFormat.Feature.WRITE_DATES_WITH_ZONE_ID) != null)) {
            return ((ContextualSerializer) JACKSON).createContextual(provider, property);
        }
        return this;
    }

    /** {@code value} as ISO_OFFSET_DATE_TIME prints it (year 0000-9999) into buf; returns the length. */
    static int format(OffsetDateTime value, char[] buf) {
        int i = 0;
        i = digits(value.getYear(), 4, buf, i);
        buf[i++] = '-';
        i = digits(value.getMonthValue(), 2, buf, i);
        buf[i++] = '-';
        i = digits(value.getDayOfMonth(), 2, buf, i);
        buf[i++] = 'T';
        i = digits(value.getHour(), 2, buf, i);
        buf[i++] = ':';
        i = digits(value.getMinute(), 2, buf, i);
        buf[i++] = ':';
        i = digits(value.getSecond(), 2, buf, i);
        int nano = value.getNano();
        if (nano != 0) {
            // As many digits as needed: the formatter's fraction of 0 to 9 digits drops trailing zeros.
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            buf[i++] = '.';
            i = digits(nano, width, buf, i);
        }
        int offset = value.getOffset().getTotalSeconds();
        if (offset == 0) {
            buf[i++] = 'Z';
            return i;
        }
        buf[i++] = offset < 0 ? '-' : '+';
        int abs = Math.abs(offset);
        i = digits(abs / 3600, 2, buf, i);
        buf[i++] = ':';
        i = digits(abs / 60 % 60, 2, buf, i);
        if (abs % 60 != 0) {
            buf[i++] = ':';
            i = digits(abs % 60, 2, buf, i);
        }
        return i;
    }

    /** v (non-negative, fewer than width + 1 digits) zero-padded to width digits at buf[i]; returns the next index. */
    public static int digits(int v, int width, char[] buf, int i) {
        for (int p = i + width - 1; p >= i; p--) {
            buf[p] = (char) ('0' + v % 10);
            v /= 10;
        }
        return i + width;
    }
}
