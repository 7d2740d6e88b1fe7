package io.duban.report;

import io.duban.common.paging.Cursors;
import io.duban.common.time.OfficeDates;
import io.duban.common.web.Texts;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

/**
 * The fields of report-service's cursors ({@link Cursors}) read back as the values our lists wrote: a
 * field that is not one (unparseable, out of Duban's dates, text the database would refuse) is 400
 * bad-cursor rather than a failed statement.
 */
final class CursorFields {

    private CursorFields() {
    }

    /** An as-of time written by a first page: on an office date. */
    static Instant instant(String field, ZoneId zone) {
        try {
            Instant t = Instant.parse(field);
            if (OfficeDates.contains(LocalDate.ofInstant(t, zone))) {
                return t;
            }
        } catch (DateTimeException e) {
            // not ours
        }
        throw Cursors.bad();
    }

    /** A deadline: an office date. */
    static LocalDate date(String field) {
        try {
            LocalDate d = LocalDate.parse(field);
            if (OfficeDates.contains(d)) {
                return d;
            }
        } catch (DateTimeException e) {
            // not ours
        }
        throw Cursors.bad();
    }

    /** A code or number: never empty, a single line without control characters. */
    static String text(String field) {
        if (field.isEmpty() || Texts.lineFlaw(field) != null) {
            throw Cursors.bad();
        }
        return field;
    }

    static UUID uuid(String field) {
        try {
            return UUID.fromString(field);
        } catch (IllegalArgumentException e) {
            throw Cursors.bad();
        }
    }

    /** A count of rows: a whole number, not negative. */
    static long count(String field) {
        try {
            long n = Long.parseLong(field);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Cursors.bad();
    }

    static int integer(String field) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw Cursors.bad();
        }
    }
}
