package io.duban.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;

/** A statement being written with its positional parameters beside it. */
final class Sql {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    Sql append(String s, Object... values) {
        text.append(s);
        params.addAll(List.of(values));
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement s = c.prepareStatement(text.toString());
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            s.setObject(i + 1, v instanceof Instant t ? Timestamp.from(t) : v);
        }
        return s;
    }

    /**
     * The statement with its parameters written in as typed literals, for what takes no parameters
     * (COPY). Strings are quoted by pgjdbc's own literal escaping for the connection's
     * standard_conforming_strings; the other types are ours and print no quote.
     */
    String inline(Connection c) throws SQLException {
        boolean standard = c.unwrap(BaseConnection.class).getStandardConformingStrings();
        StringBuilder out = new StringBuilder(text.length() + 32 * params.size());
        int next = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '?') {
                out.append(ch);
                continue;
            }
            if (next == params.size()) {
                throw new IllegalStateException("more placeholders than parameters in " + text);
            }
            Object v = params.get(next++);
            if (v == null) {
                out.append("NULL");
            } else if (v instanceof Long || v instanceof Integer) {
                out.append('(').append(v).append(')'); // parenthesised: "a -?" must not become a comment
            } else if (v instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (v instanceof Instant t) {
                out.append("CAST('").append(t).append("' AS timestamptz)");
            } else if (v instanceof LocalDate d) {
                if (d.getYear() < 1 || d.getYear() > 9999) {
                    throw new IllegalArgumentException("no literal for the date " + d); // callers keep to OfficeDates
                }
                out.append("CAST('").append(d).append("' AS date)");
            } else if (v instanceof String s) {
                out.append('\'');
                Utils.escapeLiteral(out, s, standard);
                out.append('\'');
            } else {
                throw new IllegalArgumentException("no literal for " + v.getClass());
            }
        }
        if (next != params.size()) {
            throw new IllegalStateException("more parameters than placeholders in " + text);
        }
        return out.toString();
    }
}
