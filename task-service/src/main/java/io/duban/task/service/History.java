package io.duban.task.service;

import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.Events;
import io.duban.common.observe.TraceParent;
import io.duban.common.security.Caller;
import io.duban.common.time.OfficeConfig;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.OutboxEvent;
import io.duban.task.relay.OutboxRelay;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineAction;
import io.duban.task.domain.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * Writes what every change leaves behind, inside the caller's transaction: the timeline entry people
 * read and the outbox events other services consume (with the trace they were written in), and the
 * relay is woken when that transaction commits.
 */
@ApplicationScoped
public class History {

    private final ZoneId zone;
    private final OutboxRelay relay;

    public History(OfficeConfig office, OutboxRelay relay) {
        this.zone = office.zone();
        this.relay = relay;
    }

    public void record(SupervisionItem item, Caller caller, TimelineAction action, String unitCode,
            Map<String, Object> before, Map<String, Object> after, String note, Instant at) {
        TimelineEntry t = new TimelineEntry();
        t.itemId = item.id;
        t.occurredAt = at;
        t.actor = caller.username();
        t.actorRole = caller.primaryRole();
        t.action = action.name();
        t.unitCode = unitCode;
        t.before = before == null || before.isEmpty() ? null : before;
        t.after = after == null || after.isEmpty() ? null : after;
        t.note = note;
        t.persist();
    }

    /**
     * One outbox event, built from the type's record and written by the contract's codec, so that
     * the payload is what the published schema says. With an assignment the event carries the
     * unit's part too, so that a consumer can keep its own copy without calling back.
     */
    public void emit(EventData data, SupervisionItem item, Assignment assignment, Caller caller, Instant at) {
        boolean unit = assignment != null;
        Event event = new Event(Events.SCHEMA_VERSION, UUID.randomUUID(), at.atZone(zone).toOffsetDateTime(),
                caller.username(), item.id, item.number, item.title, item.priority, item.status, item.deadline,
                unit ? assignment.unitCode : null, unit ? assignment.role : null, unit ? assignment.status : null,
                unit ? assignment.deadline : null, unit ? item.feedbackCycle : null, data);
        OutboxEvent e = new OutboxEvent();
        e.id = event.eventId();
        e.type = event.type().name();
        e.itemId = item.id;
        e.unitCode = event.unitCode();
        e.payload = Events.toMap(event);
        e.createdAt = at;
        e.traceParent = TraceParent.current();
        e.persist();
        relay.wakeAfterCommit();
    }
}
