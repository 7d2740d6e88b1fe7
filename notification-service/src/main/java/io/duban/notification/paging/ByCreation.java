package io.duban.notification.paging;

import io.duban.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of a list read newest first ({@code ORDER BY created_at DESC, id DESC}): the last
 * row sent, and what the read carries from page to page ({@code read}: the inbox's first change token
 * and delta start; empty for the delivery log). The next page is the rows with
 * {@code (created_at, id) < (createdAt, id)}.
 */
public record NewestFirst(Instant createdAt, UUID id, String read) {

    public String encode() {
        String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id + "." + read;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor of ours, or 400 bad-cursor. */
    public static NewestFirst parse(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.", 4);
            if (parts.length != 4) {
                throw new IllegalArgumentException(cursor);
            }
            int nanos = Integer.parseInt(parts[1]);
            long seconds = Long.parseLong(parts[0]);
            if (nanos < 0 || nanos > 999_999_999 || seconds < 0 || seconds > 253_402_300_799L) {
                throw new IllegalArgumentException(cursor);
            }
            return new NewestFirst(Instant.ofEpochSecond(seconds, nanos), UUID.fromString(parts[2]), parts[3]);
        } catch (RuntimeException e) {
            throw new ProblemException(400, "bad-cursor");
        }
    }
}
