package io.duban.notification.subscriptions;

import io.duban.common.events.EventType;
import io.duban.common.observe.AfterCommit;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.notification.paging.ByCreation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Webhook subscriptions: kept, listed, and matched against applied events. */
@ApplicationScoped
public class Subscriptions {

    /** The key of the current transaction's active subscriptions. */
    private static final Object ACTIVE = new Object();

    private final Clock clock;
    private final AfterCommit transactions;

    public Subscriptions(Clock clock, AfterCommit transactions) {
        this.transactions = transactions;
        this.clock = clock;
    }

    @Transactional
    public SubscriptionView create(SubscriptionRequest request, String createdBy) {
        Subscription s = new Subscription();
        s.id = UUID.randomUUID();
        s.url = checkedUrl(request.url());
        s.eventTypes = checkedTypes(request.eventTypes()).toArray(String[]::new);
        if (request.secret().strip().length() < 16) {
            throw ProblemException.invalid("secret", "field.webhookSecret");
        }
        s.secret = request.secret();
        s.description = request.description() == null || request.description().isBlank() ? null : request.description().strip();
        s.active = true;
        s.createdBy = createdBy;
        s.createdAt = clock.instant();
        s.persist();
        return view(s);
    }

    /**
     * Stops a subscription (取消订阅): it is kept, inactive, because the delivery log names it; nothing more is
     * queued for it, and what was queued is not sent (WebhookSender). Stopping a stopped one changes nothing.
     */
    @Transactional
    public boolean stop(UUID id) {
        Subscription s = Subscription.findById(id);
        if (s == null) {
            return false;
        }
        s.active = false;
        return true;
    }

    @Transactional
    /** Oldest first, a page at a time. */
    public Page<SubscriptionView> list(Integer limit, String cursor) {
        int n = Cursors.limit(limit, 50, 200);
        List<Subscription> rows;
        if (cursor == null || cursor.isBlank()) {
            rows = Subscription.<Subscription>find("order by createdAt, id").page(0, n + 1).list();
        } else {
            ByCreation after = ByCreation.parse(cursor, "subscriptions");
            rows = Subscription.<Subscription>find("createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                    after.createdAt(), after.id()).page(0, n + 1).list();
        }
        return Page.of(rows, n, last -> new ByCreation(last.createdAt, last.id, "").encode("subscriptions"), this::view);
    }

    /** A subscription as shown, and its version (its ETag). */
    public record Found(SubscriptionView view, long version) {
    }

    @Transactional
    public Optional<Found> find(UUID id) {
        return Subscription.<Subscription>findByIdOptional(id).map(s -> new Found(view(s), s.version));
    }

    /**
     * The active subscriptions that want events of this type. Read once per transaction: a batch of
     * events (one transaction) asked for them once per event, a tenth of the service's CPU per event.
     * A subscription committed while the batch is applied counts from the next transaction, as if it
     * had been committed just after the batch.
     */
    public List<Subscription> wanting(String eventType) {
        return active().stream().filter(s -> s.wants(eventType)).toList();
    }

    private List<Subscription> active() {
        return transactions.oncePerTransaction(ACTIVE, () -> Subscription.list("active = true order by createdAt, id"));
    }

    SubscriptionView view(Subscription s) {
        return new SubscriptionView(s.id, s.url, List.of(s.eventTypes), s.description, s.active, s.createdBy,
                s.createdAt.atZone(clock.getZone()).toOffsetDateTime());
    }

    private static String checkedUrl(String url) {
        String u = url.strip();
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                throw ProblemException.invalid("url", "field.webhookUrl");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("url", "field.webhookUrl");
        }
    }

    private static Set<String> checkedTypes(List<String> types) {
        Set<String> known = new LinkedHashSet<>();
        for (EventType t : EventType.values()) {
            known.add(t.name());
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : types) {
            String s = t.strip();
            if (!s.equals(Subscription.ALL_TYPES) && !known.contains(s)) {
                throw ProblemException.invalid("eventTypes", "field.enum",
                        Subscription.ALL_TYPES + ", " + String.join(", ", Arrays.stream(EventType.values()).map(Enum::name).toList()));
            }
            out.add(s);
        }
        return out;
    }
}
