package io.duban.common.feed;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Where a read stands among PostgreSQL's transactions, for the change tokens of every feed. */
public final class Snapshots {

    private static final String HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

    private Snapshots() {
    }

    /**
     * The oldest transaction the next statement may not see (the snapshot's xmin). Taken before the
     * data is read, so a delta from it repeats some changes at worst and never skips one.
     */
    public static long horizon(EntityManager em) {
        return Long.parseLong((String) em.createNativeQuery(HORIZON).getSingleResult());
    }

    /** {@link #horizon(EntityManager)} on a plain JDBC connection. */
    public static long horizon(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HORIZON); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }

    /**
     * A delta's start as a paging cursor carries it: empty for a full read (null), else a horizon.
     * Anything else throws IllegalArgumentException, a negative number too: PostgreSQL would read -5
     * as 2^64-5, and a forged cursor would get an empty delta instead of a 400.
     */
    public static Long deltaStart(String text) {
        if (text.isEmpty()) {
            return null;
        }
        long xmin = Long.parseLong(text);
        if (xmin < 0) {
            throw new IllegalArgumentException("a horizon is never negative: " + text);
        }
        return xmin;
    }
}
