package io.duban.notification.support;

import io.duban.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What a test must see behind the API: the schedule's and the inbox's rows of one item. */
public final class Db {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private Db() {
    }

    /** A notice as stored: kind, audience, the office day it was written, its subject. */
    public record Row(String kind, String audience, LocalDate day, String subject, String body) {
    }

    /** A planned reminder: rule, step, day, status. */
    public record Planned(String rule, int step, LocalDate day, String status) {
    }

    public static Connection connect() throws SQLException {
        Connection c = TestDatabase.forModule("notification-service").admin();
        try (var s = c.createStatement()) {
            s.execute("SET search_path TO notification");
        }
        return c;
    }

    public static List<Row> notices(UUID itemId) {
        List<Row> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT kind, audience, created_at, subject, body FROM notification WHERE item_id = ? ORDER BY created_at, kind")) {
            ps.setObject(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2),
                            rs.getTimestamp(3).toInstant().atZone(ZONE).toLocalDate(), rs.getString(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static List<Planned> planned(UUID itemId) {
        List<Planned> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT rule, step, day, status FROM planned_reminder WHERE item_id = ? ORDER BY day, rule, step")) {
            ps.setObject(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Planned(rs.getString(1), rs.getInt(2), rs.getObject(3, LocalDate.class), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
