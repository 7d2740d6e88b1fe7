package io.duban.notification.reminders;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.notification.tracking.TrackedAssignment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The reminder schedule in the database: the schedule's copy of each assignment, and its planned
 * reminders. Every method runs in the caller's transaction (the event's, the tick's, the policy
 * change's).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Schedule {

    private static final String ASSIGNMENT_COLUMNS = "a.item_id, a.item_number, a.title, a.priority, a.item_status,"
            + " a.item_deadline, a.unit_code, a.role, a.status, a.deadline, a.feedback_cycle, a.dispatched_at,"
            + " a.accepted_at, a.last_progress_at, a.urge_count";

    private final DataSource db;

    public Schedule(DataSource db) {
        this.db = db;
    }

    /** One due reminder, claimed (row-locked) by this transaction, with its assignment. */
    public record Due(long id, Rule rule, int step, LocalDate day, TrackedAssignment assignment) {
    }

    /** Keeps the schedule's copy of the assignment as the event left it. */
    public void save(TrackedAssignment a, Instant now) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reminder_assignment (item_id, unit_code, item_number, title, priority, item_status, item_deadline,"
                        + " role, status, deadline, feedback_cycle, dispatched_at, accepted_at, last_progress_at, urge_count, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (item_id, unit_code) DO UPDATE SET item_number = EXCLUDED.item_number,"
                        + " title = EXCLUDED.title, priority = EXCLUDED.priority, item_status = EXCLUDED.item_status,"
                        + " item_deadline = EXCLUDED.item_deadline, role = EXCLUDED.role, status = EXCLUDED.status,"
                        + " deadline = EXCLUDED.deadline, feedback_cycle = EXCLUDED.feedback_cycle,"
                        + " dispatched_at = EXCLUDED.dispatched_at, accepted_at = EXCLUDED.accepted_at,"
                        + " last_progress_at = EXCLUDED.last_progress_at, urge_count = EXCLUDED.urge_count,"
                        + " updated_at = EXCLUDED.updated_at")) {
            ps.setObject(1, a.itemId());
            ps.setString(2, a.unitCode());
            ps.setString(3, a.itemNumber());
            ps.setString(4, a.title());
            ps.setString(5, a.priority().name());
            ps.setString(6, a.itemStatus().name());
            ps.setObject(7, a.itemDeadline());
            ps.setString(8, a.role().name());
            ps.setString(9, a.status().name());
            ps.setObject(10, a.deadline());
            ps.setString(11, a.feedbackCycle().name());
            ps.setTimestamp(12, ts(a.dispatchedAt()));
            ps.setTimestamp(13, ts(a.acceptedAt()));
            ps.setTimestamp(14, ts(a.lastProgressAt()));
            ps.setInt(15, a.urgeCount());
            ps.setTimestamp(16, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not keep the assignment " + a.itemId() + "/" + a.unitCode(), e);
        }
    }

    /**
     * Plans the assignment's reminders again: what is still PLANNED goes, the new plan comes in; a
     * reminder already SENT keeps its row, so the unique key refuses to plan it again.
     */
    public void replan(TrackedAssignment a, List<ReminderPlan.Planned> plan, Instant now) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM planned_reminder WHERE item_id = ? AND unit_code = ? AND status = 'PLANNED'")) {
                del.setObject(1, a.itemId());
                del.setString(2, a.unitCode());
                del.executeUpdate();
            }
            insert(c, a.itemId(), a.unitCode(), plan, now);
        } catch (SQLException e) {
            throw new IllegalStateException("could not plan the reminders of " + a.itemId() + "/" + a.unitCode(), e);
        }
    }

    /** One row to add to an assignment's plan. */
    public record Next(UUID itemId, String unitCode, ReminderPlan.Planned planned) {
    }

    /** Adds rows to the plan (the next overdue days), in one batch; one already there or sent stays as it is. */
    public void addAll(List<Next> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ins = c.prepareStatement(INSERT)) {
            for (Next n : rows) {
                bindPlanned(ins, n.itemId(), n.unitCode(), n.planned(), now);
                ins.addBatch();
            }
            ins.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String INSERT = "INSERT INTO planned_reminder (item_id, unit_code, rule, step, day, planned_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ON CONSTRAINT planned_reminder_once DO NOTHING";

    private static void insert(Connection c, UUID itemId, String unitCode, List<ReminderPlan.Planned> plan, Instant now)
            throws SQLException {
        if (plan.isEmpty()) {
            return;
        }
        try (PreparedStatement ins = c.prepareStatement(INSERT)) {
            for (ReminderPlan.Planned p : plan) {
                bindPlanned(ins, itemId, unitCode, p, now);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private static void bindPlanned(PreparedStatement ins, UUID itemId, String unitCode, ReminderPlan.Planned p, Instant now)
            throws SQLException {
        ins.setObject(1, itemId);
        ins.setString(2, unitCode);
        ins.setString(3, p.rule().name());
        ins.setInt(4, p.step());
        ins.setObject(5, p.day());
        ins.setTimestamp(6, Timestamp.from(now));
    }

    /** Every assignment that may get reminders, for a replan after the policy or the calendar changed. */
    public List<TrackedAssignment> remindable() {
        String sql = "SELECT " + ASSIGNMENT_COLUMNS + " FROM reminder_assignment a"
                + " WHERE a.item_status = 'ACTIVE' AND a.status IN ('PENDING_ACCEPTANCE', 'IN_PROGRESS')";
        List<TrackedAssignment> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(assignment(rs, 1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** An item withdrawn before any unit had it, or as a whole: nothing more for any of its units. */
    public void stopItem(UUID itemId, Instant now) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE reminder_assignment SET item_status = 'CANCELLED', updated_at = ? WHERE item_id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, itemId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM planned_reminder WHERE item_id = ? AND status = 'PLANNED'")) {
                ps.setObject(1, itemId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims up to {@code limit} reminders due by {@code today}, oldest first. Rows another
     * transaction holds (another instance's tick) are skipped, not waited for, and so is a reminder
     * whose assignment an event is changing right now: it is looked at again by the next tick, after
     * the event, which may have stopped it.
     */
    public List<Due> claimDue(LocalDate today, int limit) {
        String sql = "SELECT p.id, p.rule, p.step, p.day, " + ASSIGNMENT_COLUMNS
                + " FROM planned_reminder p JOIN reminder_assignment a ON a.item_id = p.item_id AND a.unit_code = p.unit_code"
                + " WHERE p.status = 'PLANNED' AND p.day <= ? ORDER BY p.day, p.id LIMIT ?"
                + " FOR UPDATE OF p SKIP LOCKED FOR SHARE OF a SKIP LOCKED";
        List<Due> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, today);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getLong(1), Rule.valueOf(rs.getString(2)), rs.getInt(3),
                            rs.getObject(4, LocalDate.class), assignment(rs, 5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Marks the claimed rows SENT with their notices (ids and notices pairwise), in one statement. */
    public void markSent(List<Long> ids, List<UUID> notificationIds, Instant now) {
        if (ids.size() != notificationIds.size()) {
            throw new IllegalArgumentException(ids.size() + " reminders, " + notificationIds.size() + " notices");
        }
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE planned_reminder p SET status = 'SENT', notification_id = u.notice, sent_at = ?"
                        + " FROM unnest(?::bigint[], ?::uuid[]) AS u(id, notice) WHERE p.id = u.id AND p.status = 'PLANNED'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(3, c.createArrayOf("uuid", notificationIds.toArray()));
            expectAll(ps.executeUpdate(), ids);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reminders that could not go out on their day and would now say something untrue. */
    public void markExpired(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE planned_reminder SET status = 'EXPIRED' WHERE id = ANY (?) AND status = 'PLANNED'")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            expectAll(ps.executeUpdate(), ids);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claimed rows are locked by this transaction: each must still be PLANNED, or nothing is written. */
    private static void expectAll(int updated, List<Long> ids) {
        if (updated != ids.size()) {
            throw new IllegalStateException("of reminders " + ids + " only " + updated + " were PLANNED any more while claimed");
        }
    }

    private static TrackedAssignment assignment(ResultSet rs, int i) throws SQLException {
        return new TrackedAssignment(rs.getObject(i, UUID.class), rs.getString(i + 1), rs.getString(i + 2),
                Priority.valueOf(rs.getString(i + 3)), ItemStatus.valueOf(rs.getString(i + 4)),
                rs.getObject(i + 5, LocalDate.class), rs.getString(i + 6), AssignmentRole.valueOf(rs.getString(i + 7)),
                AssignmentStatus.valueOf(rs.getString(i + 8)), rs.getObject(i + 9, LocalDate.class),
                FeedbackCycle.valueOf(rs.getString(i + 10)), odt(rs.getTimestamp(i + 11)), odt(rs.getTimestamp(i + 12)),
                odt(rs.getTimestamp(i + 13)), rs.getInt(i + 14));
    }

    private static Timestamp ts(OffsetDateTime t) {
        return t == null ? null : Timestamp.from(t.toInstant());
    }

    private static OffsetDateTime odt(Timestamp t) {
        return t == null ? null : t.toInstant().atZone(ZoneId.of("UTC")).toOffsetDateTime();
    }
}
