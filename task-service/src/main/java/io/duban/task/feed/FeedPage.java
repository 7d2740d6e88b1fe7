package io.duban.task.feed;

import io.duban.common.feed.FeedToken;
import io.duban.common.feed.Snapshots;
import io.duban.common.paging.Cursors;
import io.duban.common.time.OfficeDates;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Where a read of the mobile feed stands between pages: the change token of its first page (which
 * says what the rows were computed against), whether it is a delta and from where, and the last row
 * sent (deadline, id).
 */
record FeedPage(String token, String basis, Long sinceXmin, LocalDate afterDeadline, UUID afterId) {

    private static final String LIST = "feed";

    static FeedPage first(String token, String basis, Long sinceXmin) {
        return new FeedPage(token, basis, sinceXmin, null, null);
    }

    FeedPage after(LocalDate deadline, UUID id) {
        return new FeedPage(token, basis, sinceXmin, deadline, id);
    }

    String encode() {
        return Cursors.encode(LIST, token, sinceXmin, afterDeadline, afterId);
    }

    /** A cursor of ours, or 400; one whose read began before the retention answers 410 (start again). */
    static FeedPage decode(String cursor, java.time.Instant oldestAccepted) {
        String[] p = Cursors.decode(cursor, LIST, 4);
        FeedToken token = FeedToken.decode(p[0], AssignmentFeedService.FEED, oldestAccepted);
        try {
            LocalDate deadline = LocalDate.parse(p[2]);
            if (!OfficeDates.contains(deadline)) {
                throw new IllegalArgumentException("deadline out of range");
            }
            return new FeedPage(p[0], token.basis(), Snapshots.deltaStart(p[1]), deadline, UUID.fromString(p[3]));
        } catch (RuntimeException e) {
            throw Cursors.bad();
        }
    }
}
