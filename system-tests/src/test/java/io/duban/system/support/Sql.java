package io.duban.system.support;

import io.duban.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Queries behind the services' backs, as the server's administrator, on a test's database. */
public final class Sql {

    private final TestDatabase db;

    public Sql(TestDatabase db) {
        this.db = db;
    }

    public long count(String sql) {
        return Long.parseLong(strings(sql).get(0));
    }

    /** The first column of every row, in the query's order. */
    public List<String> strings(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return values;
    }

    public Set<String> set(String sql) {
        return new HashSet<>(strings(sql));
    }

    /** Every row of every table in these schemas, each as its JSON text, sorted: the data, compared whole. */
    public Map<String, List<String>> tables(String... schemas) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        String in = "'" + String.join("', '", schemas) + "'";
        for (String table : strings("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_schema IN (" + in + ") AND table_type = 'BASE TABLE' ORDER BY 1")) {
            all.put(table, strings("SELECT to_jsonb(t)::text FROM " + table + " t ORDER BY 1"));
        }
        return all;
    }

    /** Who owns what, and who may do what, in these schemas: the least-privilege set-up, as rows. */
    public List<String> ownersAndGrants(String... schemas) {
        String in = "'" + String.join("', '", schemas) + "'";
        List<String> rows = new ArrayList<>(strings("SELECT n.nspname || ' owner ' || pg_get_userbyid(n.nspowner)"
                + " || ' acl ' || coalesce(array_to_string(n.nspacl, ','), '') FROM pg_namespace n"
                + " WHERE n.nspname IN (" + in + ") ORDER BY 1"));
        rows.addAll(strings("SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' owner '"
                + " || pg_get_userbyid(c.relowner) || ' acl ' || coalesce(array_to_string(c.relacl, ','), '')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname IN (" + in + ") AND c.relkind IN ('r', 'v', 'S', 'm') ORDER BY 1"));
        rows.addAll(strings("SELECT coalesce(n.nspname, '-') || ' default ' || pg_get_userbyid(d.defaclrole) || ' '"
                + " || d.defaclobjtype::text || ' ' || array_to_string(d.defaclacl, ',') FROM pg_default_acl d"
                + " LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace WHERE n.nspname IN (" + in + ") ORDER BY 1"));
        return rows;
    }
}
