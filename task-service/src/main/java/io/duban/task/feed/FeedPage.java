package io.duban.task.feed;

import io.duban.common.feed.FeedToken;
import io.duban.common.feed.Snapshots;
import io.duban.common.problem.ProblemException;
import io.duban.common.time.OfficeDates;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a read of the mobile feed stands between pages: the change token of its first page (which
 * says what the rows were computed against), whether it is a delta and from where, and the last row
 * sent (deadline, id).
 */
record FeedPage(String token, String basis, Long sinceXmin, LocalDate afterDeadline, UUID afterId) {

    private static final String VERSION = "p1";

    static FeedPage first(String token, String basis, Long sinceXmin) {
        return new FeedPage(token, basis, sinceXmin, null, null);
    }

    FeedPage after(LocalDate deadline, UUID id) {
        return new FeedPage(token, basis, sinceXmin, deadline, id);
    }

    String encode() {
        String raw = String.join("|", VERSION, token, sinceXmin == null ? "" : sinceXmin.toString(),
                afterDeadline.toString(), afterId.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor of ours, or 400; one whose read began before the retention answers 410 (start again). */
    static FeedPage decode(String cursor, java.time.Instant oldestAccepted) {
        String[] p;
        try {
            p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "bad-cursor");
        }
        if (p.length != 5 || !p[0].equals(VERSION)) {
            throw new ProblemException(400, "bad-cursor");
        }
        FeedToken token = FeedToken.decode(p[1], AssignmentFeedService.FEED, oldestAccepted);
        try {
            LocalDate deadline = LocalDate.parse(p[3]);
            if (!OfficeDates.contains(deadline)) {
                throw new IllegalArgumentException("deadline out of range");
            }
            return new FeedPage(p[1], token.basis(), Snapshots.deltaStart(p[2]), deadline, UUID.fromString(p[4]));
        } catch (RuntimeException e) {
            throw new ProblemException(400, "bad-cursor");
        }
    }
}
