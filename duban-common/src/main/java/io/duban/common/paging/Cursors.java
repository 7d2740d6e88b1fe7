package io.duban.common.paging;

import io.duban.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one codec of every list's opaque cursor: the fields a list needs to continue (the last row
 * sent, what the read carries from page to page), tagged with the list it belongs to, in URL-safe
 * Base64. A cursor of another list, of another shape or of no list at all is 400 {@code bad-cursor};
 * what the fields mean, and whether their values are in range, is the list's to check (with
 * {@link #bad()}).
 */
public final class Cursors {

    /** Between fields: the ASCII unit separator, which no field we write holds. */
    private static final char SEPARATOR = '\u001f';

    private Cursors() {
    }

    /** The cursor of list {@code list} that carries {@code fields} (null as the empty string). */
    public static String encode(String list, Object... fields) {
        StringBuilder raw = new StringBuilder(list);
        for (Object f : fields) {
            String text = f == null ? "" : f.toString();
            if (text.indexOf(SEPARATOR) >= 0) {
                throw new IllegalArgumentException("a cursor field holds the separator: " + list);
            }
            raw.append(SEPARATOR).append(text);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code count} fields of a cursor of list {@code list} (empty strings for nulls), or 400 bad-cursor. */
    public static String[] decode(String cursor, String list, int count) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad();
        }
        String[] parts = raw.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != count + 1 || !parts[0].equals(list)) {
            throw bad();
        }
        String[] fields = new String[count];
        System.arraycopy(parts, 1, fields, 0, count);
        return fields;
    }

    /** 400 bad-cursor: for a cursor whose fields the list cannot read or that are out of range. */
    public static ProblemException bad() {
        return new ProblemException(400, "bad-cursor");
    }

    /** A requested page size: {@code fallback} when absent, else 1..max or 422 {@code limit}. */
    public static int limit(Integer requested, int fallback, int max) {
        if (requested == null) {
            return fallback;
        }
        if (requested < 1 || requested > max) {
            throw ProblemException.invalid("limit", "field.limit", max);
        }
        return requested;
    }
}
