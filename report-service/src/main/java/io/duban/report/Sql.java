package io.duban.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
}
