package io.duban.task.support;

import io.duban.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL as report-service runs it: connected as its role, duban_report, which may read the reporting
 * views and nothing else. Dates come back as LocalDate, timestamps as OffsetDateTime.
 */
public final class ReportRole {

    private ReportRole() {
    }

    public static Connection connect() throws SQLException {
        return TestDatabase.forModule("task-service").as("duban_report");
    }

    /** The rows of a query with positional parameters, each a map from column label to value. */
    public static List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        String type = meta.getColumnTypeName(col);
                        Object v = type.equals("date") ? rs.getObject(col, LocalDate.class)
                                : type.equals("timestamptz") ? rs.getObject(col, OffsetDateTime.class)
                                : rs.getObject(col);
                        row.put(meta.getColumnLabel(col), v);
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The one row of a query. */
    public static Map<String, Object> row(String sql, Object... params) {
        List<Map<String, Object>> rows = rows(sql, params);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row, got " + rows.size() + ": " + sql);
        }
        return rows.get(0);
    }
}
