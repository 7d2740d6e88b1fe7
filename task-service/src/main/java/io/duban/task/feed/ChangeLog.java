package io.duban.task.feed;

import io.duban.common.feed.Snapshots;
import io.duban.task.domain.SupervisionItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/**
 * Reads the assignment change log that the database triggers write (V3 migration). Three questions,
 * each one indexed query: has anything changed for the unit (the ETag), where does a read stand
 * (the xmin of its snapshot), and which assignments changed since a token.
 */
@ApplicationScoped
public class ChangeLog {

    private final FeedSignals signals;

    public ChangeLog(FeedSignals signals) {
        this.signals = signals;
    }

    private static EntityManager em() {
        return SupervisionItem.getEntityManager();
    }

    /**
     * A fingerprint of the unit's log: the count and the highest sequence. A change committed late
     * with a lower sequence still raises the count, so no committed change leaves it unchanged. Kept
     * in memory between changes ({@link FeedSignals}): an unchanged poll asks the database nothing.
     */
    public String fingerprint(String unitCode) {
        return signals.signals().fingerprint(unitCode, () -> count(unitCode));
    }

    private static String count(String unitCode) {
        Object[] r = (Object[]) em().createNativeQuery(
                "SELECT count(*), coalesce(max(seq), 0) FROM assignment_change WHERE unit_code = ?1")
                .setParameter(1, unitCode).getSingleResult();
        return ((Number) r[0]).longValue() + "." + ((Number) r[1]).longValue();
    }

    /** Where the next read stands: see {@link Snapshots#horizon}. */
    public long horizon() {
        return Snapshots.horizon(em());
    }

    /** Assignments of the unit changed by transactions the token's read could not see. */
    @SuppressWarnings("unchecked")
    public List<UUID> changedSince(String unitCode, long xmin) {
        return em().createNativeQuery("SELECT DISTINCT assignment_id FROM assignment_change"
                + " WHERE unit_code = ?1 AND xid >= CAST(CAST(?2 AS text) AS xid8)")
                .setParameter(1, unitCode).setParameter(2, Long.toString(xmin)).getResultList();
    }
}
