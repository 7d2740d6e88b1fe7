package io.duban.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of a service's own tables, cheaply: for every table of its schema, the number of rows
 * and the sum of their `xmin` (the transaction that wrote each row version), so that an insert, a
 * delete and an update all show. Read as the server's administrator with plain JDBC, in one query;
 * meaningful while the test taking it is the only one writing.
 */
public final class RowFingerprint implements AutoCloseable {

    private final Connection connection;
    private final String query;

    private RowFingerprint(Connection connection, String query) {
        this.connection = connection;
        this.query = query;
    }

    /** The tables of the service under test: its module's test database, the schema named after it. */
    public static RowFingerprint ofServiceUnderTest(Set<String> skipped) {
        String module = System.getProperty("duban-tests.module");
        if (module == null || module.isBlank()) {
            throw new IllegalStateException("duban-tests.module is not set (the parent pom's surefire configuration sets it)");
        }
        return of(TestDatabase.forModule(module), module.replace("-service", ""), skipped);
    }

    /** The tables of one schema but the skipped ones (derived tables that only follow others). */
    public static RowFingerprint of(TestDatabase db, String schema, Set<String> skipped) {
        try {
            Connection c = db.admin();
            List<String> tables = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                s.setString(1, schema);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (!skipped.contains(rs.getString(1))) {
                            tables.add(rs.getString(1));
                        }
                    }
                }
            }
            if (tables.isEmpty()) {
                throw new IllegalStateException("schema " + schema + " of " + db.name() + " has no tables");
            }
            List<String> parts = new ArrayList<>();
            for (String t : tables) {
                String name = "\"" + schema.replace("\"", "\"\"") + "\".\"" + t.replace("\"", "\"\"") + "\"";
                parts.add("SELECT '" + t.replace("'", "''") + "', count(*), coalesce(sum(xmin::text::bigint), 0) FROM " + name);
            }
            return new RowFingerprint(c, String.join(" UNION ALL ", parts));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tables of " + schema + " in " + db.name(), e);
        }
    }

    /** One table's rows: how many, and a sum that changes when any of them is written. */
    public record Table(long rows, String writes) {
    }

    /** The tables at one moment. */
    public record Snapshot(Map<String, Table> tables) {

        /** What differs from an earlier snapshot, one line per table; empty when nothing does. */
        public List<String> changesSince(Snapshot before) {
            List<String> out = new ArrayList<>();
            for (String t : new TreeSet<>(tables.keySet())) {
                Table was = before.tables.get(t);
                Table now = tables.get(t);
                if (!Objects.equals(was, now)) {
                    out.add(t + ": " + (was == null ? "?" : was.rows) + " rows -> " + now.rows
                            + (was != null && was.rows == now.rows ? " (rows written)" : ""));
                }
            }
            return out;
        }
    }

    public Snapshot take() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            Map<String, Table> tables = new TreeMap<>();
            while (rs.next()) {
                tables.put(rs.getString(1), new Table(rs.getLong(2), rs.getString(3)));
            }
            return new Snapshot(tables);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count rows", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
