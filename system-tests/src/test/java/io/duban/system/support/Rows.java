package io.duban.system.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the tests read behind the services' APIs, as the database's administrator. */
public final class Rows {

    /** Opens an administrator's connection to the test's database. */
    @FunctionalInterface
    public interface Admin {
        Connection open() throws SQLException;
    }

    private final Admin admin;

    public Rows(Admin admin) {
        this.admin = admin;
    }

    public long count(String sql) {
        return strings(sql, true).stream().findFirst().map(Long::parseLong).orElseThrow();
    }

    /** The first column of every row, as a set (duplicates collapse: count them separately). */
    public Set<String> strings(String sql) {
        return new HashSet<>(strings(sql, false));
    }

    public List<String> list(String sql) {
        return strings(sql, false);
    }

    /** The first two columns, as a map from the first to the second. */
    public Map<String, String> pairs(String sql) {
        Map<String, String> values = new HashMap<>();
        try (Connection c = admin.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.put(r.getString(1), r.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return values;
    }

    private List<String> strings(String sql, boolean first) {
        List<String> values = new ArrayList<>();
        try (Connection c = admin.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
                if (first) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return values;
    }
}
