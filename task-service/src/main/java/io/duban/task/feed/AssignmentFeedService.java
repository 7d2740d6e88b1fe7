package io.duban.task.feed;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.feed.FeedToken;
import io.duban.common.problem.ProblemException;
import io.duban.common.time.OfficeConfig;
import io.duban.common.warning.Warning;
import io.duban.common.warning.WarningPolicy;
import io.duban.task.api.Views;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.UnitWork;
import io.duban.task.warning.ItemWarnings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The mobile feed of a unit's assignments: a full list or a delta since a change token, and an
 * ETag that answers "has anything changed?" with one indexed query.
 */
@ApplicationScoped
public class AssignmentFeedService {

    public static final String FEED = "assignments";
    /** Rows a page carries unless the client asks for fewer; a unit's whole list comes page by page. */
    public static final int DEFAULT_PAGE = 500;
    public static final int MAX_PAGE = 1000;

    private final Clock clock;
    private final ZoneId zone;
    private final int retentionDays;
    private final ChangeLog log;
    private final ItemWarnings warnings;

    public AssignmentFeedService(Clock clock, OfficeConfig office, DubanConfig config, ChangeLog log,
            ItemWarnings warnings) {
        this.clock = clock;
        this.zone = office.zone();
        this.retentionDays = config.feed().retentionDays();
        this.log = log;
        this.warnings = warnings;
    }

    /** The rows a page carries for the requested limit (validated by {@link #read}). */
    public static int pageSize(Integer limit) {
        return limit == null ? DEFAULT_PAGE : limit;
    }

    /** The requested statuses, or what the unit has in hand; PLANNED is a draft's and never a unit's to see. */
    public static List<AssignmentStatus> statuses(List<AssignmentStatus> requested) {
        if (requested == null || requested.isEmpty()) {
            return AssignmentStatus.IN_HAND;
        }
        if (requested.contains(AssignmentStatus.PLANNED)) {
            throw ProblemException.invalid("status", "field.enum", List.of(AssignmentStatus.values()).stream()
                    .filter(s -> s != AssignmentStatus.PLANNED).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return requested.stream().distinct().sorted().toList();
    }

    /**
     * The list's ETag: the unit's change log, today (warnings turn red at midnight), the calendar
     * revision (it moves warnings too) and the status filter.
     */
    public String etag(String unit, List<AssignmentStatus> statuses) {
        String filter = statuses.stream().map(s -> s.name().substring(0, 2)).collect(Collectors.joining());
        return "\"" + log.fingerprint(unit) + "." + warnings.basis() + "." + filter + "\"";
    }

    /**
     * A page of the unit's list: everything (no `changedSince`), or what changed since the token,
     * ordered by deadline. The first page's `changeToken` is the one to keep: it was taken before
     * any page was read, so the next delta repeats a change at worst and never skips one. `cursor`
     * continues a read page by page; it carries the token and the position.
     */
    public Views.AssignmentFeed read(String unit, List<AssignmentStatus> statuses, String changedSince, String cursor,
            Integer limit) {
        int size = pageSize(limit);
        if (size < 1 || size > MAX_PAGE) {
            throw ProblemException.invalid("limit", "field.limit", MAX_PAGE);
        }
        Instant oldest = clock.instant().minus(Duration.ofDays(retentionDays));
        FeedPage page;
        if (cursor != null && !cursor.isBlank()) {
            page = FeedPage.decode(cursor, oldest);
            if (!page.basis().equals(warnings.basis())) {
                // Midnight or a calendar import in the middle of a read: the lights moved; start again.
                throw new ProblemException(410, "change-token-expired");
            }
        } else {
            FeedToken since = changedSince == null || changedSince.isBlank() ? null
                    : FeedToken.decode(changedSince, FEED, oldest);
            String basis = warnings.basis();
            if (since != null && !since.basis().equals(basis)) {
                // A new day or a new calendar moves warnings on rows nobody touched: send everything.
                since = null;
            }
            String token = new FeedToken(FEED, log.horizon(), basis, clock.instant()).encode();
            page = FeedPage.first(token, basis, since == null ? null : since.xmin());
        }
        List<UUID> changed = page.sinceXmin() == null ? null : log.changedSince(unit, page.sinceXmin());
        List<FeedRow> rows = changed != null && changed.isEmpty() ? List.of()
                : FeedRow.read(unit, statuses, changed, page.afterDeadline(), page.afterId(), size + 1);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            FeedRow last = rows.get(size - 1);
            next = page.after(last.deadline(), last.id()).encode();
        }
        WarningPolicy policy = warnings.policy();
        List<Views.MyAssignment> shown = new ArrayList<>(rows.size());
        List<Views.Removed> removed = new ArrayList<>();
        for (FeedRow r : rows) {
            if (statuses.contains(r.status())) {
                shown.add(view(r, policy));
            } else {
                removed.add(new Views.Removed(r.id(), r.itemId(), r.status(), r.status().label()));
            }
        }
        return new Views.AssignmentFeed(page.token(), page.sinceXmin() == null, shown, removed, next);
    }

    private Views.MyAssignment view(FeedRow r, WarningPolicy policy) {
        Warning warning = warnings.forAssignment(policy, r.itemStatus(), r.feedbackCycle(), r.status(), r.deadline(),
                r.lastProgressAt(), r.dispatchedAt());
        return Views.MyAssignment.of(r, zone, warning, UnitWork.actions(r.itemStatus(), r.status(), r.role(),
                r.assistsPending(), r.extensionPending()));
    }
}
