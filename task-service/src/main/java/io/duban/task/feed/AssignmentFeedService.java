package io.duban.task.feed;

import io.duban.task.api.Views;
import io.duban.task.calendar.CalendarService;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.AssignmentAction;
import io.duban.task.domain.AssignmentRole;
import io.duban.task.domain.AssignmentStatus;
import io.duban.task.domain.ExtensionStatus;
import io.duban.task.domain.ItemAction;
import io.duban.task.domain.Lifecycle;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.problem.ProblemException;
import io.duban.task.warning.ItemWarnings;
import io.duban.task.warning.WarningPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
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
    public static final List<AssignmentStatus> DEFAULT_STATUSES = List.of(AssignmentStatus.PENDING_ACCEPTANCE,
            AssignmentStatus.IN_PROGRESS, AssignmentStatus.SUBMITTED);
    /** A unit's open list is small in practice; a filter that matches more is refused, never cut. */
    static final int MAX_ROWS = 1000;

    private final Clock clock;
    private final ZoneId zone;
    private final int retentionDays;
    private final ChangeLog log;
    private final ItemWarnings warnings;
    private final CalendarService calendar;

    public AssignmentFeedService(Clock clock, DubanConfig config, ChangeLog log, ItemWarnings warnings,
            CalendarService calendar) {
        this.clock = clock;
        this.zone = config.office().zone();
        this.retentionDays = config.feed().retentionDays();
        this.log = log;
        this.warnings = warnings;
        this.calendar = calendar;
    }

    /** The requested statuses, or the open ones; PLANNED is a draft's and never a unit's to see. */
    public static List<AssignmentStatus> statuses(List<AssignmentStatus> requested) {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT_STATUSES;
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
        return "\"" + log.fingerprint(unit) + "." + basis() + "." + filter + "\"";
    }

    /** What warnings depend on besides the rows: the office day and the calendar. */
    private String basis() {
        return LocalDate.now(clock).toEpochDay() + "-" + calendar.revision();
    }

    public Views.AssignmentFeed read(String unit, List<AssignmentStatus> statuses, String changedSince) {
        FeedToken since = changedSince == null || changedSince.isBlank() ? null
                : FeedToken.decode(changedSince, FEED, clock.instant().minus(Duration.ofDays(retentionDays)));
        String basis = basis();
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
        Set<UUID> pendingExtension = new HashSet<>(Assignment.getEntityManager().createQuery(
                "select e.assignmentId from ExtensionRequest e where e.assignmentId in :ids and e.status = :pending",
                UUID.class).setParameter("ids", rows.stream().map(a -> a.id).toList())
                .setParameter("pending", ExtensionStatus.PENDING).getResultList());
        Set<UUID> assistsPending = new HashSet<>(Assignment.getEntityManager().createQuery(
                "select a.itemId from Assignment a where a.itemId in :items and a.role = :assist and a.status in :open",
                UUID.class).setParameter("items", itemIds).setParameter("assist", AssignmentRole.ASSIST)
                .setParameter("open", List.of(AssignmentStatus.PENDING_ACCEPTANCE, AssignmentStatus.IN_PROGRESS,
                        AssignmentStatus.DECLINED))
                .getResultList());
        WarningPolicy policy = warnings.policy();
        List<Views.MyAssignment> out = new ArrayList<>(rows.size());
        for (Assignment a : rows) {
            SupervisionItem item = items.get(a.itemId);
            out.add(Views.MyAssignment.of(a, item, zone, warnings.forAssignment(policy, item, a),
                    actions(a, item, pendingExtension.contains(a.id), assistsPending.contains(item.id))));
        }
        return out;
    }

    /** What the unit may do next, named by the action's path segment. */
    static List<String> actions(Assignment a, SupervisionItem item, boolean extensionPending, boolean assistsPending) {
        if (!Lifecycle.allows(item.status, ItemAction.WORK)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (Lifecycle.allows(a.status, AssignmentAction.ACCEPT)) {
            out.add("accept");
        }
        if (Lifecycle.allows(a.status, AssignmentAction.DECLINE)) {
            out.add("decline");
        }
        if (Lifecycle.allows(a.status, AssignmentAction.REPORT_PROGRESS)) {
            out.add("progress");
        }
        if (Lifecycle.allows(a.status, AssignmentAction.SUBMIT) && !(a.role == AssignmentRole.LEAD && assistsPending)) {
            out.add("submit");
        }
        if (Lifecycle.allows(a.status, AssignmentAction.REQUEST_EXTENSION) && !extensionPending) {
            out.add("extension-requests");
        }
        return out;
    }
}
