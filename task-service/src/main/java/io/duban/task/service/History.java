package io.duban.task.service;

import io.duban.common.security.Caller;
import io.duban.common.time.OfficeConfig;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.EventType;
import io.duban.task.domain.OutboxEvent;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineAction;
import io.duban.task.domain.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes what every change leaves behind, inside the caller's transaction: the timeline entry people
 * read and the outbox events other services consume.
 */
@ApplicationScoped
public class History {

    private final ZoneId zone;

    public History(OfficeConfig office) {
        this.zone = office.zone();
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
     * One outbox event. With an assignment the payload carries the unit's part too, so that a
     * consumer can keep its own copy without calling back.
     */
    public void emit(EventType type, SupervisionItem item, Assignment assignment, Caller caller,
            Map<String, Object> data, Instant at) {
        UUID eventId = UUID.randomUUID();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("eventId", eventId.toString());
        p.put("type", type.name());
        p.put("occurredAt", at.atZone(zone).toOffsetDateTime().toString());
        p.put("actor", caller.username());
        p.put("itemId", item.id.toString());
        p.put("itemNumber", item.number);
        p.put("title", item.title);
        p.put("priority", item.priority.name());
        p.put("itemStatus", item.status.name());
        p.put("itemDeadline", item.deadline.toString());
        if (assignment != null) {
            p.put("unitCode", assignment.unitCode);
            p.put("role", assignment.role.name());
            p.put("status", assignment.status.name());
            p.put("deadline", assignment.deadline.toString());
            p.put("feedbackCycle", item.feedbackCycle.name());
        }
        if (data != null && !data.isEmpty()) {
            p.put("data", data);
        }
        OutboxEvent e = new OutboxEvent();
        e.id = eventId;
        e.type = type.name();
        e.itemId = item.id;
        e.unitCode = assignment == null ? null : assignment.unitCode;
        e.payload = p;
        e.createdAt = at;
        e.persist();
    }
}
