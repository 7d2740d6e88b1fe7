package io.duban.task.api;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Labelled;
import io.duban.common.domain.Priority;
import io.duban.common.domain.Rating;
import io.duban.common.domain.SourceType;
import io.duban.common.warning.Completion;
import io.duban.common.warning.Warning;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.ExtensionRequest;
import io.duban.task.domain.ExtensionStatus;
import io.duban.task.domain.Instruction;
import io.duban.task.domain.ProgressReport;
import io.duban.task.domain.ItemRow;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineEntry;
import io.duban.task.feed.FeedRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the API returns. Every enum comes with its Chinese label; timestamps carry the office offset. */
public final class Views {

    private Views() {
    }

    static OffsetDateTime at(Instant i, ZoneId zone) {
        return i == null ? null : i.atZone(zone).toOffsetDateTime();
    }

    static String label(Labelled l) {
        return l == null ? null : l.label();
    }

    public record Item(UUID id, String number, String title, String description, SourceType sourceType,
            String sourceTypeLabel, String sourceRef, Priority priority, String priorityLabel, String category,
            String responsibleLeader, String externalSystem, String externalRef, LocalDate deadline,
            LocalDate originalDeadline, Integer deadlineWorkingDays,
            String deadlineRule, boolean deadlineCalendarComplete, FeedbackCycle feedbackCycle,
            String feedbackCycleLabel, ItemStatus status, String statusLabel, String leadUnit, Rating rating,
            String ratingLabel, Boolean completedOnTime, Warning warning, Completion completion, String createdBy,
            OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime dispatchedAt,
            OffsetDateTime completedAt, OffsetDateTime cancelledAt, long version, List<AssignmentView> assignments,
            List<InstructionView> instructions, List<ExtensionView> extensionRequests,
            List<ProgressView> progressReports) {

        public static Item of(SupervisionItem i, ZoneId zone, Warning warning, Completion completion,
                List<AssignmentView> assignments, List<InstructionView> instructions, List<ExtensionView> extensions,
                List<ProgressView> progress) {
            return new Item(i.id, i.number, i.title, i.description, i.sourceType, label(i.sourceType), i.sourceRef,
                    i.priority, label(i.priority), i.category, i.responsibleLeader, i.externalSystem, i.externalRef,
                    i.deadline, i.originalDeadline, i.deadlineWorkingDays, Views.deadlineRule(i), i.deadlineCalendarComplete, i.feedbackCycle,
                    label(i.feedbackCycle), i.status, label(i.status), i.leadUnitCode, i.rating, label(i.rating),
                    i.completedOnTime, warning, completion, i.createdBy, at(i.createdAt, zone), at(i.updatedAt, zone),
                    at(i.dispatchedAt, zone), at(i.completedAt, zone), at(i.cancelledAt, zone), i.version,
                    assignments, instructions, extensions, progress);
        }
    }

    /** The rule that produced the deadline, in words. */
    static String deadlineRule(SupervisionItem i) {
        if (i.deadlineWorkingDays == null) {
            return "指定日期";
        }
        return (i.dispatchedAt == null ? "交办后 " : "自交办日起 ") + i.deadlineWorkingDays + " 个工作日"
                + (i.deadlineCalendarComplete ? "" : "（部分年份日历未导入，按周一至周五计算）");
    }

    /** A row of the item list. */
    public record ItemSummary(UUID id, String number, String title, SourceType sourceType, String sourceTypeLabel,
            Priority priority, String priorityLabel, LocalDate deadline, ItemStatus status, String statusLabel,
            String leadUnit, Boolean completedOnTime, Warning warning, Completion completion, String externalSystem,
            String externalRef, OffsetDateTime createdAt, OffsetDateTime updatedAt, long version) {

        public static ItemSummary of(ItemRow i, ZoneId zone, Warning warning, Completion completion) {
            return new ItemSummary(i.id(), i.number(), i.title(), i.sourceType(), label(i.sourceType()), i.priority(),
                    label(i.priority()), i.deadline(), i.status(), label(i.status()), i.leadUnitCode(),
                    i.completedOnTime(), warning, completion, i.externalSystem(), i.externalRef(),
                    at(i.createdAt(), zone), at(i.updatedAt(), zone), i.version());
        }
    }

    public record AssignmentView(UUID id, String unitCode, AssignmentRole role, String roleLabel,
            AssignmentStatus status, String statusLabel, LocalDate deadline, LocalDate originalDeadline,
            int progressPercent, OffsetDateTime lastProgressAt, int urgeCount, String declineReason,
            String reassignedTo, String reassignedFrom, Warning warning, OffsetDateTime dispatchedAt,
            OffsetDateTime acceptedAt, OffsetDateTime submittedAt, OffsetDateTime completedAt) {

        public static AssignmentView of(Assignment a, ZoneId zone, Warning warning) {
            return new AssignmentView(a.id, a.unitCode, a.role, label(a.role), a.status, label(a.status), a.deadline,
                    a.originalDeadline, a.progressPercent, at(a.lastProgressAt, zone), a.urgeCount, a.declineReason,
                    a.reassignedTo, a.reassignedFrom, warning, at(a.dispatchedAt, zone), at(a.acceptedAt, zone),
                    at(a.submittedAt, zone), at(a.completedAt, zone));
        }
    }

    public record InstructionView(UUID id, String content, String leader, OffsetDateTime createdAt) {
        public static InstructionView of(Instruction i, ZoneId zone) {
            return new InstructionView(i.id, i.content, i.leader, at(i.createdAt, zone));
        }
    }

    public record ExtensionView(UUID id, String unitCode, LocalDate currentDeadline, LocalDate requestedDeadline,
            String reason, ExtensionStatus status, String statusLabel, String requestedBy, OffsetDateTime requestedAt,
            String decidedBy, OffsetDateTime decidedAt, String decisionComment) {
        public static ExtensionView of(ExtensionRequest e, ZoneId zone) {
            return new ExtensionView(e.id, e.unitCode, e.currentDeadline, e.requestedDeadline, e.reason, e.status,
                    label(e.status), e.requestedBy, at(e.requestedAt, zone), e.decidedBy, at(e.decidedAt, zone),
                    e.decisionComment);
        }
    }

    public record ProgressView(UUID id, String unitCode, String content, int percent, String nextSteps,
            String helpNeeded, String reportedBy, OffsetDateTime reportedAt) {
        public static ProgressView of(ProgressReport p, ZoneId zone) {
            return new ProgressView(p.id, p.unitCode, p.content, p.percent, p.nextSteps, p.helpNeeded, p.reportedBy,
                    at(p.reportedAt, zone));
        }
    }

    public record TimelineView(long id, OffsetDateTime occurredAt, String actor, String actorRole, String action,
            String actionLabel, String unitCode, Map<String, Object> before, Map<String, Object> after, String note) {
        public static TimelineView of(TimelineEntry t, ZoneId zone, String actionLabel) {
            return new TimelineView(t.id, at(t.occurredAt, zone), t.actor, t.actorRole, t.action, actionLabel,
                    t.unitCode, t.before, t.after, t.note);
        }
    }

    /**
     * Whether an item's timeline is as the application wrote it. When not, `brokenAt` names the first
     * entry that fails (null when the newest entries are missing), `breakKind` says how (CONTENT: the
     * entry was changed; LINK: an entry before it was removed, inserted or moved; HEAD: the newest
     * were removed) and `reason` says it in words.
     */
    public record TimelineCheck(UUID itemId, String itemNumber, int entries, boolean intact, String head,
            Long brokenAt, String breakKind, String reason) {

        public static TimelineCheck intact(SupervisionItem item, int entries, String head) {
            return new TimelineCheck(item.id, item.number, entries, true, head, null, null, "办理记录完整，未被改动");
        }

        public static TimelineCheck broken(SupervisionItem item, int entries, Long at, String kind, String reason) {
            return new TimelineCheck(item.id, item.number, entries, false, null, at, kind, reason);
        }
    }

    /**
     * One row of the mobile feed (`GET /me/assignments`): the unit's assignment with what it needs
     * to show and act: the item's number and title, the light, and the actions the unit may take now
     * (the path segment of each action endpoint). `itemVersion` is the item's ETag value for If-Match.
     */
    public record MyAssignment(UUID assignmentId, UUID itemId, String itemNumber, String title, Priority priority,
            String priorityLabel, AssignmentRole role, String roleLabel, AssignmentStatus status, String statusLabel,
            ItemStatus itemStatus, String itemStatusLabel, LocalDate deadline, Warning warning, int progressPercent,
            OffsetDateTime lastProgressAt, int urgeCount, List<String> actions, long itemVersion,
            OffsetDateTime updatedAt) {

        public static MyAssignment of(FeedRow r, ZoneId zone, Warning warning, List<String> actions) {
            return new MyAssignment(r.id(), r.itemId(), r.itemNumber(), r.title(), r.priority(), label(r.priority()),
                    r.role(), label(r.role()), r.status(), label(r.status()), r.itemStatus(), label(r.itemStatus()),
                    r.deadline(), warning, r.progressPercent(), at(r.lastProgressAt(), zone), r.urgeCount(), actions,
                    r.itemVersion(), at(r.updatedAt(), zone));
        }
    }

    /** An assignment that left the unit's list since the token: reassigned, cancelled, completed... */
    public record Removed(UUID assignmentId, UUID itemId, AssignmentStatus status, String statusLabel) {
    }

    /**
     * A page of the unit's assignments: all of them (`full`), or only what changed since
     * `changedSince`, plus removal markers. `nextCursor`, when present, fetches the next page of the
     * same read; once there is none, pass the first page's `changeToken` back as `changedSince`.
     */
    public record AssignmentFeed(String changeToken, boolean full, List<MyAssignment> assignments,
            List<Removed> removed, String nextCursor) {
    }
}
