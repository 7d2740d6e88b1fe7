package io.duban.common.feed;

import jakarta.persistence.EntityManager;

/** Where a read stands among PostgreSQL's transactions, for the change tokens of every feed. */
public final class Snapshots {

    private Snapshots() {
    }

    /**
     * The oldest transaction the next statement may not see (the snapshot's xmin). Taken before the
     * data is read, so a delta from it repeats some changes at worst and never skips one.
     */
    public static long horizon(EntityManager em) {
        String xmin = (String) em.createNativeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                .getSingleResult();
        return Long.parseLong(xmin);
    }
}
