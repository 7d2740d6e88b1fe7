package io.duban.task.service;

import io.duban.common.calendar.WorkingDayCalculator;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
import io.duban.common.events.EventData;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.task.api.Requests;
import io.duban.task.calendar.CalendarService;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.AssignmentAction;
import io.duban.task.domain.Deadlines;
import io.duban.task.domain.ExtensionRequest;
import io.duban.task.domain.ExtensionStatus;
import io.duban.task.domain.Instruction;
import io.duban.task.domain.ItemAction;
import io.duban.task.domain.Lifecycle;
import io.duban.task.domain.ProgressReport;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineAction;
import io.duban.task.domain.UnitWork;
import io.duban.task.observe.TaskMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The lifecycle of SPEC.md: each action checks the caller and the state, changes the item and its
 * assignments, and appends the timeline entry and outbox events in the same transaction.
 * Each action locks the item row first, so that concurrent actions on one item run one after another.
 */
@ApplicationScoped
public class LifecycleService {

    private final Clock clock;
    private final ItemAccess access;
    private final History history;
    private final DirectoryService directory;
    private final CalendarService calendar;
    private final TaskMetrics metrics;

    public LifecycleService(Clock clock, ItemAccess access, History history, DirectoryService directory,
            CalendarService calendar, TaskMetrics metrics) {
        this.clock = clock;
        this.access = access;
        this.history = history;
        this.directory = directory;
        this.calendar = calendar;
        this.metrics = metrics;
    }

    /** 交办: the draft goes to its units, each of which now has to accept it. */
    @Transactional
    public SupervisionItem dispatch(UUID id, Caller caller, String ifMatch) {
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Instant now = clock.instant();
        item.apply(ItemAction.DISPATCH, now);
        item.dispatchedAt = now;
        List<Assignment> assignments = Assignment.ofItem(item.id);
        new Deadlines(calendar.calculator()).dispatch(item, assignments, LocalDate.ofInstant(now, clock.getZone()));
        List<String> units = new ArrayList<>();
        for (Assignment a : assignments) {
            a.apply(AssignmentAction.DISPATCH, now);
            a.dispatchedAt = now;
            units.add(a.unitCode);
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", item.status.name());
        after.put("units", units);
        after.put("deadline", item.deadline.toString());
        history.record(item, caller, TimelineAction.DISPATCH, null, Map.of("status", "DRAFT"), after, null, now);
        for (Assignment a : assignments) {
            history.emit(EventData.ItemDispatched.first(), item, a, caller, now);
        }
        metrics.itemDispatched();
        return done(item);
    }

    /** 签收. */
    @Transactional
    public SupervisionItem accept(UUID id, String unit, Caller caller, String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        Assignment a = access.ownAssignment(item, unit, caller);
        Instant now = clock.instant();
        move(item, a, AssignmentAction.ACCEPT, TimelineAction.ACCEPT, new EventData.AssignmentAccepted(), null, caller,
                now);
        a.acceptedAt = now;
        return done(item);
    }

    /** 退回: the unit says the item is not its business; the office will reassign it. */
    @Transactional
    public SupervisionItem decline(UUID id, String unit, Requests.Decline r, Caller caller, String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        Assignment a = access.ownAssignment(item, unit, caller);
        Instant now = clock.instant();
        a.declineReason = r.reason();
        move(item, a, AssignmentAction.DECLINE, TimelineAction.DECLINE, new EventData.AssignmentDeclined(r.reason()),
                r.reason(), caller, now);
        return done(item);
    }

    /** 转办: the office moves a unit's assignment to another unit, which then has to accept it. */
    @Transactional
    public SupervisionItem reassign(UUID id, String unit, Requests.Reassign r, Caller caller, String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        Assignment from = access.heldAssignment(item, unit);
        directory.activeUnit(r.toUnit(), "toUnit");
        if (Assignment.count("itemId = ?1 and unitCode = ?2 and status not in ?3", item.id, r.toUnit(),
                AssignmentStatus.GONE) > 0) {
            throw ProblemException.invalid("toUnit", "field.duplicateUnit", r.toUnit());
        }
        Instant now = clock.instant();
        String before = from.status.name();
        from.apply(AssignmentAction.REASSIGN, now);
        from.reassignedTo = r.toUnit();
        withdrawExtensions(List.of(from.id), "已转办，申请自动撤回", now);
        Assignment.getEntityManager().flush();
        Assignment to = Assignment.create(item, r.toUnit(), from.role, AssignmentStatus.PENDING_ACCEPTANCE, now);
        Deadlines.inherit(to, from);
        to.reassignedFrom = unit;
        to.dispatchedAt = now;
        if (from.role == AssignmentRole.LEAD) {
            item.leadUnitCode = r.toUnit();
        }
        touch(item, now);
        history.record(item, caller, TimelineAction.REASSIGN, unit,
                Map.of("unit", unit, "status", before),
                Map.of("unit", r.toUnit(), "status", to.status.name()), r.note(), now);
        history.emit(new EventData.AssignmentReassigned(unit, r.toUnit()), item, from, caller, now);
        history.emit(new EventData.ItemDispatched(unit, r.toUnit()), item, to, caller, now);
        return done(item);
    }

    /** 进展反馈. */
    @Transactional
    public SupervisionItem reportProgress(UUID id, String unit, Requests.Progress r, Caller caller, String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        Assignment a = access.ownAssignment(item, unit, caller);
        Instant now = clock.instant();
        a.apply(AssignmentAction.REPORT_PROGRESS, now);
        int beforePercent = a.progressPercent;
        ProgressReport p = new ProgressReport();
        p.id = UUID.randomUUID();
        p.itemId = item.id;
        p.assignmentId = a.id;
        p.unitCode = unit;
        p.content = r.content();
        p.percent = r.percent();
        p.nextSteps = r.nextSteps();
        p.helpNeeded = r.helpNeeded();
        p.reportedBy = caller.username();
        p.reportedAt = now;
        p.persist();
        a.progressPercent = r.percent();
        a.lastProgressAt = now;
        touch(item, now);
        history.record(item, caller, TimelineAction.REPORT_PROGRESS, unit, Map.of("percent", beforePercent),
                Map.of("percent", r.percent()), r.content(), now);
        String helpNeeded = r.helpNeeded() == null || r.helpNeeded().isBlank() ? null : r.helpNeeded();
        history.emit(new EventData.ProgressReported(p.id, r.percent(), helpNeeded), item, a, caller, now);
        return done(item);
    }

    /**
     * 申请办结. An assist unit submits its part; the lead unit submits the item once every assist
     * unit has, and the item then waits for the office's review.
     */
    @Transactional
    public SupervisionItem submit(UUID id, String unit, Requests.Submit r, Caller caller, String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        Assignment a = access.ownAssignment(item, unit, caller);
        Instant now = clock.instant();
        UnitWork.of(item).checkSubmit(a);
        move(item, a, AssignmentAction.SUBMIT, TimelineAction.SUBMIT, new EventData.AssignmentSubmitted(r.summary()),
                r.summary(), caller, now);
        a.submittedAt = now;
        a.progressPercent = 100;
        if (a.role == AssignmentRole.LEAD) {
            String itemBefore = item.status.name();
            item.apply(ItemAction.SUBMIT, now);
            history.record(item, caller, TimelineAction.SUBMIT, null, status(itemBefore), status(item.status.name()),
                    null, now);
            history.emit(new EventData.ItemSubmitted(r.summary()), item, a, caller, now);
        }
        return done(item);
    }

    /** 审核: approve with a rating (办结), or return to the lead unit for rework (退回重办). */
    @Transactional
    public SupervisionItem review(UUID id, Requests.Review r, Caller caller, String ifMatch) {
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Instant now = clock.instant();
        String before = item.status.name();
        List<Assignment> live = Assignment.<Assignment>list("itemId = ?1 and status not in ?2", item.id,
                AssignmentStatus.GONE);
        if (live.stream().anyMatch(a -> a.unitCode.equals(caller.unitCode()))) {
            // A person never reviews work their own unit did, whatever other roles their token holds.
            throw new ProblemException(403, "own-unit-decision");
        }
        if (r.decision() == Requests.ReviewDecision.APPROVE) {
            if (r.rating() == null) {
                throw ProblemException.invalid("rating", "field.ratingRequired");
            }
            item.apply(ItemAction.APPROVE, now);
            item.rating = r.rating();
            item.completedAt = now;
            item.completedOnTime = !LocalDate.ofInstant(now, clock.getZone()).isAfter(item.deadline);
            for (Assignment a : live) {
                a.apply(AssignmentAction.COMPLETE, now);
                a.completedAt = now;
            }
            withdrawExtensions(live.stream().map(a -> a.id).toList(), "事项已办结，申请自动撤回", now);
            Map<String, Object> after = new LinkedHashMap<>(status(item.status.name()));
            after.put("rating", r.rating().name());
            after.put("onTime", item.completedOnTime);
            history.record(item, caller, TimelineAction.APPROVE, null, status(before), after, r.comment(), now);
            EventData data = new EventData.ItemCompleted(r.rating(), item.completedOnTime);
            for (Assignment a : live) {
                history.emit(data, item, a, caller, now);
            }
        } else {
            if (r.comment() == null || r.comment().isBlank()) {
                throw ProblemException.invalid("comment", "field.reasonRequired");
            }
            item.apply(ItemAction.RETURN, now);
            Assignment lead = live.stream().filter(a -> a.role == AssignmentRole.LEAD).findFirst().orElseThrow();
            lead.apply(AssignmentAction.RETURN, now);
            lead.submittedAt = null;
            history.record(item, caller, TimelineAction.RETURN, lead.unitCode, status(before),
                    status(item.status.name()), r.comment(), now);
            history.emit(new EventData.ItemReturned(r.comment()), item, lead, caller, now);
        }
        return done(item);
    }

    /** 延期申请: one pending request per assignment, for a later date than the current deadline. */
    @Transactional
    public ExtensionRequest requestExtension(UUID id, String unit, Requests.ExtensionAsk r, Caller caller,
            String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        Assignment a = access.ownAssignment(item, unit, caller);
        UnitWork.of(item).checkExtension(a);
        Deadlines.checkRequested(a, r.requestedDeadline());
        Instant now = clock.instant();
        ExtensionRequest e = new ExtensionRequest();
        e.id = UUID.randomUUID();
        e.itemId = item.id;
        e.assignmentId = a.id;
        e.unitCode = unit;
        e.currentDeadline = a.deadline;
        e.requestedDeadline = r.requestedDeadline();
        e.reason = r.reason();
        e.status = ExtensionStatus.PENDING;
        e.requestedBy = caller.username();
        e.requestedAt = now;
        e.persist();
        touch(item, now);
        history.record(item, caller, TimelineAction.REQUEST_EXTENSION, unit, Map.of("deadline", a.deadline.toString()),
                Map.of("requestedDeadline", r.requestedDeadline().toString()), r.reason(), now);
        history.emit(new EventData.ExtensionRequested(e.id, r.requestedDeadline(), r.reason()), item, a, caller, now);
        done(item);
        return e;
    }

    /**
     * The office decides on an extension. An approved one replaces the assignment's deadline, and
     * the item's when the lead unit asked; the original deadline is kept beside it.
     */
    @Transactional
    public ExtensionRequest decideExtension(UUID id, UUID requestId, boolean approve, Requests.ExtensionDecision r,
            Caller caller, String ifMatch) {
        SupervisionItem item = workOn(id, caller, ifMatch);
        ExtensionRequest e = ExtensionRequest.findById(requestId);
        if (e == null || !e.itemId.equals(item.id)) {
            throw ProblemException.notFound("extension-request", requestId);
        }
        if (e.status != ExtensionStatus.PENDING) {
            throw ProblemException.conflict("extension-decided");
        }
        if (e.unitCode.equals(caller.unitCode())) {
            // A person never decides on their own unit's request, whatever other roles their token holds.
            throw new ProblemException(403, "own-unit-decision");
        }
        Assignment a = Assignment.findById(e.assignmentId);
        if (!a.status.isLive()) {
            throw ProblemException.conflict("extension-decided");
        }
        Instant now = clock.instant();
        e.status = approve ? ExtensionStatus.APPROVED : ExtensionStatus.REJECTED;
        e.decidedBy = caller.username();
        e.decidedAt = now;
        e.decisionComment = r == null ? null : r.comment();
        String note = e.decisionComment;
        if (approve) {
            LocalDate old = Deadlines.extend(item, a, e.requestedDeadline);
            a.updatedAt = now;
            touch(item, now);
            history.record(item, caller, TimelineAction.APPROVE_EXTENSION, e.unitCode,
                    Map.of("deadline", old.toString()), Map.of("deadline", a.deadline.toString()), note, now);
            history.emit(new EventData.ExtensionApproved(e.id, old), item, a, caller, now);
        } else {
            touch(item, now);
            history.record(item, caller, TimelineAction.REJECT_EXTENSION, e.unitCode,
                    Map.of("requestedDeadline", e.requestedDeadline.toString()), Map.of("deadline",
                            a.deadline.toString()), note, now);
            history.emit(new EventData.ExtensionRejected(e.id), item, a, caller, now);
        }
        done(item);
        return e;
    }

    /** 领导批示: every unit working on the item hears of it. */
    @Transactional
    public Instruction instruct(UUID id, Requests.Instruct r, Caller caller, String ifMatch) {
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Lifecycle.next(item.status, ItemAction.INSTRUCT);
        Instant now = clock.instant();
        Instruction i = new Instruction();
        i.id = UUID.randomUUID();
        i.itemId = item.id;
        i.content = r.content();
        i.leader = caller.username();
        i.createdAt = now;
        i.persist();
        touch(item, now);
        history.record(item, caller, TimelineAction.INSTRUCT, null, null, Map.of("instructionId", i.id.toString()),
                r.content(), now);
        EventData data = new EventData.InstructionAdded(i.id, r.content());
        List<Assignment> working = Assignment.list("itemId = ?1 and status in ?2", item.id, AssignmentStatus.OPEN);
        if (working.isEmpty()) {
            history.emit(data, item, null, caller, now);
        }
        for (Assignment a : working) {
            history.emit(data, item, a, caller, now);
        }
        done(item);
        return i;
    }

    /** 催办: one unit, or every unit that has not yet submitted. */
    @Transactional
    public SupervisionItem urge(UUID id, Requests.Urge r, Caller caller, String ifMatch) {
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Lifecycle.next(item.status, ItemAction.URGE);
        List<Assignment> targets;
        if (r.unitCode() != null && !r.unitCode().isBlank()) {
            Assignment a = access.heldAssignment(item, r.unitCode());
            Lifecycle.next(a.status, AssignmentAction.URGE);
            targets = List.of(a);
        } else {
            targets = Assignment.<Assignment>list("itemId = ?1", item.id).stream()
                    .filter(a -> Lifecycle.allows(a.status, AssignmentAction.URGE)).toList();
            if (targets.isEmpty()) {
                throw ProblemException.conflict("nothing-to-urge");
            }
        }
        Instant now = clock.instant();
        touch(item, now);
        for (Assignment a : targets) {
            a.urgeCount++;
            a.updatedAt = now;
            history.record(item, caller, TimelineAction.URGE, a.unitCode, null, Map.of("urgeCount", a.urgeCount),
                    r.message(), now);
            history.emit(new EventData.ItemUrged(r.message(), a.urgeCount), item, a, caller, now);
            metrics.urgeSent();
        }
        return done(item);
    }

    /** 撤销: from any open state; the units' live assignments are withdrawn with it. */
    @Transactional
    public SupervisionItem cancel(UUID id, Requests.Cancel r, Caller caller, String ifMatch) {
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Instant now = clock.instant();
        String before = item.status.name();
        item.apply(ItemAction.CANCEL, now);
        item.cancelledAt = now;
        List<Assignment> withdrawn = new ArrayList<>();
        for (Assignment a : Assignment.ofItem(item.id)) {
            if (Lifecycle.allows(a.status, AssignmentAction.CANCEL)) {
                boolean dispatched = a.status != AssignmentStatus.PLANNED;
                a.apply(AssignmentAction.CANCEL, now);
                if (dispatched) {
                    withdrawn.add(a);
                }
            }
        }
        withdrawExtensions(withdrawn.stream().map(a -> a.id).toList(), "事项已撤销，申请自动撤回", now);
        history.record(item, caller, TimelineAction.CANCEL, null, status(before), status(item.status.name()),
                r.reason(), now);
        EventData data = new EventData.ItemCancelled(r.reason());
        if (withdrawn.isEmpty()) {
            history.emit(data, item, null, caller, now);
        }
        for (Assignment a : withdrawn) {
            history.emit(data, item, a, caller, now);
        }
        return done(item);
    }

    /**
     * 按新日历重算期限: after a calendar import, inside its transaction, every item in handling whose
     * deadline is a working-day rule is recomputed under its row lock, in id order, with the office
     * clock, like any other change; each move is recorded in the timeline and sent as DEADLINE_CHANGED.
     * Returns how many items moved. Drafts are left alone: dispatch counts their working days afresh.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int recomputeDeadlines(WorkingDayCalculator newCalendar, Caller caller) {
        Deadlines deadlines = new Deadlines(newCalendar);
        Instant now = clock.instant();
        List<UUID> ids = SupervisionItem.getEntityManager().createQuery("select i.id from SupervisionItem i"
                + " where i.deadlineWorkingDays is not null and i.status in :handling order by i.id", UUID.class)
                .setParameter("handling", ItemStatus.IN_HANDLING).getResultList();
        int moved = 0;
        for (UUID id : ids) {
            SupervisionItem item = access.lockedBySystem(id);
            List<Assignment> live = Assignment.list("itemId = ?1 and status not in ?2", id, AssignmentStatus.GONE);
            Optional<LocalDate> old = deadlines.recompute(item, live,
                    LocalDate.ofInstant(item.dispatchedAt, clock.getZone()));
            if (old.isEmpty()) {
                continue;
            }
            touch(item, now);
            live.stream().filter(a -> a.originalDeadline.equals(item.originalDeadline)).forEach(a -> a.updatedAt = now);
            history.record(item, caller, TimelineAction.RECOMPUTE_DEADLINE, null,
                    Map.of("deadline", old.get().toString()),
                    Map.of("deadline", item.originalDeadline.toString(), "workingDays", item.deadlineWorkingDays),
                    null, now);
            EventData data = new EventData.DeadlineChanged(old.get(), EventData.DeadlineChanged.Reason.CALENDAR);
            for (Assignment a : live) {
                history.emit(data, item, a, caller, now);
            }
            moved++;
        }
        return moved;
    }

    /**
     * One unit's assignment takes a step: its state moves, the timeline records it with the note
     * (reason, summary), and the outbox gets the event.
     */
    private void move(SupervisionItem item, Assignment a, AssignmentAction action, TimelineAction line,
            EventData event, String note, Caller caller, Instant now) {
        String before = a.status.name();
        a.apply(action, now);
        touch(item, now);
        history.record(item, caller, line, a.unitCode, status(before), status(a.status.name()), note, now);
        history.emit(event, item, a, caller, now);
    }

    /** Pending extension requests of assignments that just ended are withdrawn, not left waiting. */
    private static void withdrawExtensions(List<UUID> assignmentIds, String why, Instant now) {
        if (!assignmentIds.isEmpty()) {
            ExtensionRequest.update("status = ?1, decidedAt = ?2, decidedBy = 'system', decisionComment = ?3"
                    + " where assignmentId in ?4 and status = ?5", ExtensionStatus.WITHDRAWN, now, why, assignmentIds,
                    ExtensionStatus.PENDING);
        }
    }

    /** The item locked for unit-level work, which only a dispatched, active item allows. */
    private SupervisionItem workOn(UUID id, Caller caller, String ifMatch) {
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Lifecycle.next(item.status, ItemAction.WORK);
        return item;
    }

    /** Any change to an assignment is a change to the item: its version (ETag) moves. */
    private static void touch(SupervisionItem item, Instant now) {
        item.updatedAt = now;
    }

    private static SupervisionItem done(SupervisionItem item) {
        SupervisionItem.getEntityManager().flush();
        return item;
    }

    private static Map<String, Object> status(String status) {
        return Map.of("status", status);
    }
}
