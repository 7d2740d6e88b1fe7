package io.duban.notification.reminders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/** The stored reminder policy: one row, the defaults (version 0) until an admin first changes them. */
@ApplicationScoped
public class PolicyStore {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    /** The policy with its version and last change. */
    public record Stored(ReminderPolicy policy, long version, Instant updatedAt, String updatedBy) {
    }

    private final DataSource db;

    public PolicyStore(DataSource db) {
        this.db = db;
    }

    @Transactional
    public Stored current() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, document::text, updated_at, updated_by FROM reminder_policy WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Stored(ReminderPolicy.defaults(), 0, null, null);
            }
            return new Stored(JSON.readValue(rs.getString(2), ReminderPolicy.class), rs.getLong(1),
                    rs.getTimestamp(3).toInstant(), rs.getString(4));
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the reminder policy", e);
        }
    }

    /** Stores a validated policy as the next version; the caller's transaction holds the row lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored store(ReminderPolicy policy, long expectedVersion, Instant now, String by) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reminder_policy (id, version, document, updated_at, updated_by) VALUES (1, ?, CAST(? AS jsonb), ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document,"
                        + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by"
                        + " WHERE reminder_policy.version = ?")) {
            ps.setLong(1, expectedVersion + 1);
            ps.setString(2, JSON.writeValueAsString(policy));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, by);
            ps.setLong(5, expectedVersion);
            if (ps.executeUpdate() != 1) {
                throw new io.duban.common.problem.ProblemException(409, "concurrent-change");
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not store the reminder policy", e);
        }
        return new Stored(policy, expectedVersion + 1, now, by);
    }

    /** Locks the policy row (if any) so that two changes do not interleave. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM reminder_policy WHERE id = 1 FOR UPDATE")) {
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
