package io.duban.task.feed;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.task.domain.SupervisionItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hibernate.Session;

/**
 * One row of the mobile feed as one statement reads it: the assignment, what the row shows of its
 * item, and the two facts that decide the next actions beyond the states (an assist unit of the
 * item still owes its submission; the assignment has a pending extension request). Read straight
 * from JDBC, with no entity: a page of 200 rows hydrated as entities with their items and their
 * items' assignments cost five statements and most of the request's time (bench/results.md).
 */
public record FeedRow(UUID id, UUID itemId, AssignmentRole role, AssignmentStatus status, LocalDate deadline,
        int progressPercent, Instant lastProgressAt, int urgeCount, Instant updatedAt, Instant dispatchedAt,
        String itemNumber, String title, Priority priority, ItemStatus itemStatus, FeedbackCycle feedbackCycle,
        long itemVersion, boolean assistsPending, boolean extensionPending) {

    /**
     * The row; its last two columns are the facts behind the actions (an assist unit owes its
     * submission in the statuses of {@link AssignmentStatus#owesSubmission}).
     */
    private static final String SELECT = """
            SELECT a.id, a.item_id, a.role, a.status, a.deadline, a.progress_percent, a.last_progress_at,
                   a.urge_count, a.updated_at, a.dispatched_at,
                   i.number, i.title, i.priority, i.status, i.feedback_cycle, i.version,
                   a.role = 'LEAD' AND EXISTS (SELECT 1 FROM assignment b WHERE b.item_id = a.item_id
                       AND b.role = 'ASSIST' AND b.status IN (%s)),
                   EXISTS (SELECT 1 FROM extension_request e WHERE e.assignment_id = a.id AND e.status = 'PENDING')
              FROM assignment a JOIN supervision_item i ON i.id = a.item_id
             WHERE a.unit_code = ?
            """.formatted(literals(Arrays.stream(AssignmentStatus.values()).filter(AssignmentStatus::owesSubmission)));

    /**
     * Up to {@code limit} rows of the unit in feed order (deadline, id), after the given position
     * when there is one: its dispatched assignments in {@code statuses}, or, for a delta, the
     * assignments {@code changed} whatever their status (those outside the filter go out as
     * removal markers).
     */
    static List<FeedRow> read(String unit, Collection<AssignmentStatus> statuses, List<UUID> changed,
            LocalDate afterDeadline, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT);
        // The statuses as literals (enum names, never the caller's text): a subset of those in hand lets
        // the planner read the page from assignment_feed_idx (V17) in order.
        sql.append(changed == null ? " AND a.status IN (" + literals(statuses.stream()) + ") AND a.dispatched_at IS NOT NULL"
                : " AND a.id = ANY (?)");
        if (afterDeadline != null) {
            sql.append(" AND (a.deadline, a.id) > (?, ?)");
        }
        // The limit as a literal, as ItemSearch's pages: a bound one makes PostgreSQL's plan for any
        // parameters guess a tenth of the unit's rows, and a generic plan that looks dear is planned anew each time.
        sql.append(" ORDER BY a.deadline, a.id LIMIT ").append(limit);
        return SupervisionItem.getEntityManager().unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                int p = 0;
                st.setString(++p, unit);
                if (changed != null) {
                    st.setArray(++p, c.createArrayOf("uuid", changed.toArray()));
                }
                if (afterDeadline != null) {
                    st.setObject(++p, afterDeadline);
                    st.setObject(++p, afterId);
                }
                return rows(st);
            }
        });
    }

    /** Statuses as SQL literals: enum names, never a caller's text. */
    private static String literals(Stream<AssignmentStatus> statuses) {
        return statuses.map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }

    private static List<FeedRow> rows(PreparedStatement st) throws SQLException {
        List<FeedRow> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new FeedRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        AssignmentRole.valueOf(rs.getString(3)), AssignmentStatus.valueOf(rs.getString(4)),
                        rs.getObject(5, LocalDate.class), rs.getInt(6), instant(rs, 7), rs.getInt(8), instant(rs, 9),
                        instant(rs, 10), rs.getString(11), rs.getString(12), Priority.valueOf(rs.getString(13)),
                        ItemStatus.valueOf(rs.getString(14)), FeedbackCycle.valueOf(rs.getString(15)),
                        rs.getLong(16), rs.getBoolean(17), rs.getBoolean(18)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
