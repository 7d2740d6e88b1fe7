package io.duban.common.feed;

import io.duban.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque position a client keeps between polls of a change feed: the transaction horizon of
 * its last read (the snapshot's xmin), what the rows were computed against (`basis`: for the
 * assignment feed the office day and calendar revision, which change warnings without any row
 * changing) and when it was issued. Every feed (assignments now, the notification inbox later) uses
 * the same token, bound to its feed's name so that one cannot be replayed against another.
 */
public record FeedToken(String feed, long xmin, String basis, Instant issuedAt) {

    private static final String VERSION = "f1";

    public String encode() {
        String raw = VERSION + ":" + feed + ":" + xmin + ":" + basis + ":" + issuedAt.getEpochSecond();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A token of this feed, or 400 (malformed) / 410 (older than the retention: fetch in full). */
    public static FeedToken decode(String token, String feed, Instant oldestAccepted) {
        FeedToken t;
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] p = raw.split(":", -1);
            if (p.length != 5 || !p[0].equals(VERSION) || !p[1].equals(feed)) {
                throw new IllegalArgumentException("not a token of " + feed);
            }
            t = new FeedToken(feed, Long.parseLong(p[2]), p[3], Instant.ofEpochSecond(Long.parseLong(p[4])));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new ProblemException(400, "bad-change-token");
        }
        if (t.issuedAt.isBefore(oldestAccepted)) {
            throw new ProblemException(410, "change-token-expired");
        }
        return t;
    }
}
