package io.duban.system.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

    /** The first column of every row, in the query's order. */
    public List<String> list(String sql) {
        return strings(sql, false);
    }

    /** Every row of every table in these schemas, each as its JSON text, sorted: the data, compared whole. */
    public Map<String, List<String>> tables(String... schemas) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (String table : list("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_schema IN (" + in(schemas) + ") AND table_type = 'BASE TABLE' ORDER BY 1")) {
            all.put(table, list("SELECT to_jsonb(t)::text FROM " + table + " t ORDER BY 1"));
        }
        return all;
    }

    /** Who owns what, and who may do what, in these schemas: the least-privilege set-up, as rows. */
    public List<String> ownersAndGrants(String... schemas) {
        String in = in(schemas);
        List<String> rows = new ArrayList<>(list("SELECT n.nspname || ' owner ' || pg_get_userbyid(n.nspowner)"
                + " || ' acl ' || coalesce(array_to_string(n.nspacl, ','), '') FROM pg_namespace n"
                + " WHERE n.nspname IN (" + in + ") ORDER BY 1"));
        rows.addAll(list("SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' owner '"
                + " || pg_get_userbyid(c.relowner) || ' acl ' || coalesce(array_to_string(c.relacl, ','), '')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname IN (" + in + ") AND c.relkind IN ('r', 'v', 'S', 'm') ORDER BY 1"));
        rows.addAll(list("SELECT coalesce(n.nspname, '-') || ' default ' || pg_get_userbyid(d.defaclrole) || ' '"
                + " || d.defaclobjtype::text || ' ' || array_to_string(d.defaclacl, ',') FROM pg_default_acl d"
                + " LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace WHERE n.nspname IN (" + in + ") ORDER BY 1"));
        return rows;
    }

    private static String in(String... schemas) {
        return "'" + String.join("', '", schemas) + "'";
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
