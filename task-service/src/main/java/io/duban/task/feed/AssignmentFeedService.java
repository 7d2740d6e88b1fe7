package io.duban.task.feed;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.feed.FeedToken;
import io.duban.common.problem.ProblemException;
import io.duban.common.time.OfficeConfig;
import io.duban.common.warning.WarningPolicy;
import io.duban.task.api.Views;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.UnitWork;
import io.duban.task.warning.ItemWarnings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The mobile feed of a unit's assignments: a full list or a delta since a change token, and an
 * ETag that answers "has anything changed?" with one indexed query.
 */
@ApplicationScoped
public class AssignmentFeedService {

    public static final String FEED = "assignments";
    /** A unit's open list is small in practice; a filter that matches more is refused, never cut. */
    static final int MAX_ROWS = 1000;

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

    public Views.AssignmentFeed read(String unit, List<AssignmentStatus> statuses, String changedSince) {
        FeedToken since = changedSince == null || changedSince.isBlank() ? null
                : FeedToken.decode(changedSince, FEED, clock.instant().minus(Duration.ofDays(retentionDays)));
        String basis = warnings.basis();
        if (since != null && !since.basis().equals(basis)) {
            // A new day or a new calendar moves warnings on rows nobody touched: send everything.
            since = null;
        }
        long horizon = log.horizon();
        String token = new FeedToken(FEED, horizon, basis, clock.instant()).encode();
        List<Assignment> rows;
        List<Views.Removed> removed = new ArrayList<>();
        if (since == null) {
            rows = Assignment.<Assignment>find("unitCode = ?1 and status in ?2 and dispatchedAt is not null"
                    + " order by deadline, id", unit, statuses).page(0, MAX_ROWS + 1).list();
            if (rows.size() > MAX_ROWS) {
                throw new ProblemException(422, "feed-too-large", MAX_ROWS);
            }
        } else {
            List<UUID> changed = log.changedSince(unit, since.xmin());
            List<Assignment> touched = changed.isEmpty() ? List.of()
                    : Assignment.<Assignment>list("id in ?1 and unitCode = ?2 order by deadline, id", changed, unit);
            rows = new ArrayList<>();
            for (Assignment a : touched) {
                if (statuses.contains(a.status)) {
                    rows.add(a);
                } else {
                    removed.add(new Views.Removed(a.id, a.itemId, a.status, a.status.label()));
                }
            }
        }
        return new Views.AssignmentFeed(token, since == null, views(rows), removed);
    }

    /** Rows with their item, light and next actions: three queries for the whole list. */
    private List<Views.MyAssignment> views(List<Assignment> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Set<UUID> itemIds = rows.stream().map(a -> a.itemId).collect(Collectors.toSet());
        Map<UUID, SupervisionItem> items = SupervisionItem.<SupervisionItem>list("id in ?1", itemIds).stream()
                .collect(Collectors.toMap(i -> i.id, Function.identity()));
        Map<UUID, UnitWork> work = UnitWork.of(items.values());
        WarningPolicy policy = warnings.policy();
        List<Views.MyAssignment> out = new ArrayList<>(rows.size());
        for (Assignment a : rows) {
            SupervisionItem item = items.get(a.itemId);
            out.add(Views.MyAssignment.of(a, item, zone, warnings.forAssignment(policy, item, a),
                    work.get(item.id).actions(a)));
        }
        return out;
    }
}
