package io.duban.notification.paging;

import io.duban.common.paging.Cursors;
import java.time.Instant;
import java.util.UUID;

/**
 * The opaque cursor of a list ordered by {@code (created_at, id)}: the last row sent, and what the read
 * carries from page to page ({@code read}: the inbox's first change token and delta start; empty for the
 * other lists). Read newest first (the inbox, the delivery log) the next page is the rows with
 * {@code (created_at, id) < (createdAt, id)}; oldest first (subscriptions, waiting urges), {@code >}.
 */
public record ByCreation(Instant createdAt, UUID id, String read) {

    public String encode(String list) {
        return Cursors.encode(list, createdAt.getEpochSecond(), createdAt.getNano(), id, read);
    }

    /** A cursor of ours for {@code list}, or 400 bad-cursor. */
    public static ByCreation parse(String cursor, String list) {
        String[] parts = Cursors.decode(cursor, list, 4);
        try {
            int nanos = Integer.parseInt(parts[1]);
            long seconds = Long.parseLong(parts[0]);
            if (nanos < 0 || nanos > 999_999_999 || seconds < 0 || seconds > 253_402_300_799L) {
                throw new IllegalArgumentException(cursor);
            }
            return new ByCreation(Instant.ofEpochSecond(seconds, nanos), UUID.fromString(parts[2]), parts[3]);
        } catch (RuntimeException e) {
            throw Cursors.bad();
        }
    }
}
