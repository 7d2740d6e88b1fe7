package io.duban.notification.events;

import io.duban.common.events.Event;
import io.duban.common.observe.TraceParent;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.TrackedAssignments;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies task-service's events, each once. The event id is recorded in the transaction that applies
 * the event and its effects (the copies, and whatever the observers of {@link EventApplied} write): a
 * redelivered event finds its id and changes nothing, and an event whose application fails leaves no
 * trace, so that its redelivery applies it. Two deliveries of one event at the same moment are
 * serialised by the primary key of processed_event: the second waits for the first to commit, then
 * finds the id.
 */
@ApplicationScoped
public class EventIntake {

    private final EntityManager em;
    private final TrackedAssignments tracked;
    private final jakarta.enterprise.event.Event<EventApplied> applied;
    private final Clock clock;
    private final Tracer tracer;

    public EventIntake(EntityManager em, TrackedAssignments tracked, jakarta.enterprise.event.Event<EventApplied> applied,
            Clock clock, Tracer tracer) {
        this.em = em;
        this.tracked = tracked;
        this.applied = applied;
        this.clock = clock;
        this.tracer = tracer;
    }

    /** An event of a batch and the traceparent of its sending (null when it came without one). */
    public record Traced(Event event, String traceparent) {
    }

    @Transactional
    public EventReceipt apply(Event event) {
        return applyOne(event, clock.instant());
    }

    /**
     * Applies the events in the order given, in one transaction: each once, exactly as {@link #apply}
     * would one by one (a redelivered one changes nothing), and all of them or, if one fails, none.
     */
    @Transactional
    public List<EventReceipt> applyAll(List<Traced> events) {
        Instant now = clock.instant();
        List<EventReceipt> out = new ArrayList<>(events.size());
        Span batch = Span.current();
        for (Traced t : events) {
            // Each event's work joins the trace of its sending (as a single POST's would through its
            // header), linked to the batch's request.
            Span span = tracer.spanBuilder("apply event")
                    .setParent(t.traceparent() != null ? TraceParent.parent(t.traceparent()) : Context.current())
                    .addLink(batch.getSpanContext())
                    .setAttribute("duban.event.id", t.event().eventId().toString())
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                out.add(applyOne(t.event(), now));
            } finally {
                span.end();
            }
        }
        return out;
    }

    private EventReceipt applyOne(Event event, Instant now) {
        int inserted = em.createNativeQuery("""
                INSERT INTO processed_event (event_id, type, item_id, unit_code, occurred_at, applied_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (event_id) DO NOTHING""")
                .setParameter(1, event.eventId())
                .setParameter(2, event.type().name())
                .setParameter(3, event.itemId())
                .setParameter(4, event.unitCode())
                .setParameter(5, event.occurredAt())
                .setParameter(6, now.atOffset(ZoneOffset.UTC))
                .executeUpdate();
        if (inserted == 0) {
            OffsetDateTime first = (OffsetDateTime) em.createNativeQuery(
                    "SELECT applied_at FROM processed_event WHERE event_id = ?1", OffsetDateTime.class)
                    .setParameter(1, event.eventId()).getSingleResult();
            return new EventReceipt(event.eventId(), event.type(), false, first.toInstant());
        }
        TrackedAssignments.Change change = tracked.apply(event, now);
        applied.fire(new EventApplied(event, change.before(), change.after()));
        return new EventReceipt(event.eventId(), event.type(), true, now);
    }
}
