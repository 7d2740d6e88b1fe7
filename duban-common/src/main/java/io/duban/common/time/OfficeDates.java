package io.duban.common.time;

import io.duban.common.problem.ProblemException;
import java.time.LocalDate;

/**
 * The dates Duban works with: 2000-01-01 to 2099-12-31. Deadlines, extensions, filters and the
 * working-day calendar (whose SQL day table covers exactly these years) stay inside it; a date
 * outside is a typing error (`0001-01-01`, `+10000-01-01`), refused rather than stored.
 */
public final class OfficeDates {

    public static final LocalDate MIN = LocalDate.of(2000, 1, 1);
    public static final LocalDate MAX = LocalDate.of(2099, 12, 31);
    public static final int MIN_YEAR = MIN.getYear();
    public static final int MAX_YEAR = MAX.getYear();

    private OfficeDates() {
    }

    public static boolean contains(LocalDate date) {
        return !date.isBefore(MIN) && !date.isAfter(MAX);
    }

    /** The date, or 422 naming the field when it lies outside the range. */
    public static LocalDate require(String field, LocalDate date) {
        if (date != null && !contains(date)) {
            throw ProblemException.invalid(field, "field.dateOutOfRange", MIN.toString(), MAX.toString());
        }
        return date;
    }
}
