package io.duban.task.service;

import io.duban.common.security.Caller;
import io.duban.task.api.Views;
import io.duban.task.domain.SupervisionItem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Checks an item's timeline against its hash chain (V7): every entry's stored hash must be the hash
 * of its content and of the previous entry's hash (recomputed by the same SQL function that wrote
 * it), and the newest must be the item's head. The first entry where that fails is where the
 * timeline was changed behind the application's back.
 */
@ApplicationScoped
public class TimelineIntegrity {

    private final ItemAccess access;

    public TimelineIntegrity(ItemAccess access) {
        this.access = access;
    }

    public Views.TimelineCheck verify(UUID id, Caller caller) {
        SupervisionItem item = access.visible(id, caller);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = SupervisionItem.getEntityManager().createNativeQuery("""
                SELECT t.id, t.prev_hash, t.hash, timeline_entry_hash(t.prev_hash, t),
                       lag(t.hash) OVER (ORDER BY t.id)
                  FROM timeline_entry t WHERE t.item_id = ?1 ORDER BY t.id""")
                .setParameter(1, item.id).getResultList();
        String head = (String) SupervisionItem.getEntityManager()
                .createNativeQuery("SELECT timeline_head FROM supervision_item WHERE id = ?1")
                .setParameter(1, item.id).getSingleResult();
        for (Object[] r : rows) {
            long entry = ((Number) r[0]).longValue();
            if (!same(r[1], r[4])) {
                return Views.TimelineCheck.broken(item, rows.size(), entry, "LINK", "前一条记录被删除、插入或调换");
            }
            if (!same(r[2], r[3])) {
                return Views.TimelineCheck.broken(item, rows.size(), entry, "CONTENT", "该条记录的内容被修改");
            }
        }
        String last = rows.isEmpty() ? null : (String) rows.get(rows.size() - 1)[2];
        if (!same(last, head)) {
            return Views.TimelineCheck.broken(item, rows.size(), null, "HEAD", "最新的记录被删除，或事项的链头被修改");
        }
        return Views.TimelineCheck.intact(item, rows.size(), head);
    }

    private static boolean same(Object a, Object b) {
        return a == null ? b == null : b != null && a.toString().strip().equals(b.toString().strip());
    }
}
