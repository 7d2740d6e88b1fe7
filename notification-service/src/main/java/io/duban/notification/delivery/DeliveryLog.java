package io.duban.notification.delivery;

import io.duban.common.problem.Messages;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.notification.paging.ByCreation;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The delivery log (GET /api/v1/deliveries) and an admin's retry of a failed delivery. */
@ApplicationScoped
public class DeliveryLog {

    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_LIMIT = 50;

    private final Clock clock;

    public DeliveryLog(Clock clock) {
        this.clock = clock;
    }

    public record Filter(Channel channel, DeliveryStatus status, String recipient, UUID itemId, UUID notificationId,
            UUID eventId) {
    }

    /** Newest first, filtered, paged by an opaque cursor. */
    @Transactional
    public Page<DeliveryView> list(Filter f, Integer limit, String cursor) {
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        List<String> where = new ArrayList<>();
        Parameters p = new Parameters();
        if (f.channel() != null) {
            where.add("channel = :channel");
            p.and("channel", f.channel());
        }
        if (f.status() != null) {
            where.add("status = :status");
            p.and("status", f.status());
        }
        if (f.recipient() != null && !f.recipient().isBlank()) {
            where.add("recipient = :recipient");
            p.and("recipient", f.recipient().strip());
        }
        if (f.itemId() != null) {
            where.add("itemId = :item");
            p.and("item", f.itemId());
        }
        if (f.notificationId() != null) {
            where.add("notificationId = :notification");
            p.and("notification", f.notificationId());
        }
        if (f.eventId() != null) {
            where.add("eventId = :event");
            p.and("event", f.eventId());
        }
        if (cursor != null) {
            ByCreation c = ByCreation.parse(cursor, "deliveries");
            where.add("(createdAt < :cAt or (createdAt = :cAt and id < :cId))");
            p.and("cAt", c.createdAt()).and("cId", c.id());
        }
        String query = (where.isEmpty() ? "" : String.join(" and ", where)) + " order by createdAt desc, id desc";
        List<Delivery> rows = Delivery.<Delivery>find(query, p).page(0, n + 1).list();
        return Page.of(rows, n, last -> new ByCreation(last.createdAt, last.id, "").encode("deliveries"), this::view);
    }

    /** A FAILED delivery back in the queue, due now, with a fresh budget of attempts. */
    @Transactional
    public DeliveryView retry(UUID id) {
        Delivery d = Delivery.<Delivery>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("delivery", id));
        if (d.status != DeliveryStatus.FAILED) {
            throw ProblemException.conflict("delivery-not-failed", new Messages.Key("status." + d.status));
        }
        Instant now = clock.instant();
        d.status = DeliveryStatus.PENDING;
        d.attempts = 0;
        d.nextAttemptAt = now;
        d.updatedAt = now;
        return view(d);
    }

    DeliveryView view(Delivery d) {
        return new DeliveryView(d.id, d.channel, d.kind, d.recipient, d.unitCode, d.username, d.notificationId,
                d.eventId, d.subscriptionId, d.itemId, d.subject, d.status, d.attempts, at(d.nextAttemptAt), d.lastError,
                at(d.createdAt), at(d.updatedAt), at(d.sentAt));
    }

    private OffsetDateTime at(Instant i) {
        return i == null ? null : i.atZone(clock.getZone()).toOffsetDateTime();
    }
}
