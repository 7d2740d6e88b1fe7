package io.duban.task.service;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.events.EventData;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.common.time.OfficeConfig;
import io.duban.common.warning.WarningPolicy;
import io.duban.common.web.Etags;
import io.duban.common.web.Texts;
import io.duban.task.api.ItemPatch;
import io.duban.task.api.ItemRequest;
import io.duban.task.api.Views;
import io.duban.task.calendar.CalendarService;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.Deadlines;
import io.duban.task.domain.ExtensionRequest;
import io.duban.task.domain.Instruction;
import io.duban.task.domain.ItemAction;
import io.duban.task.domain.Lifecycle;
import io.duban.task.domain.ProgressReport;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.TimelineAction;
import io.duban.task.domain.TimelineEntry;
import io.duban.task.warning.ItemWarnings;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** Registering, editing and reading supervision items. The lifecycle actions live in {@link LifecycleService}. */
@ApplicationScoped
public class ItemService {

    /** Page sizes of an item's timeline: most items' whole history fits the default page. */
    static final int TIMELINE_LIMIT = 100;
    static final int TIMELINE_MAX_LIMIT = 500;

    private final Clock clock;
    private final ZoneId zone;
    private final ItemNumbers numbers;
    private final DirectoryService directory;
    private final ItemAccess access;
    private final History history;
    private final CalendarService calendar;
    private final ItemWarnings warnings;

    public ItemService(Clock clock, OfficeConfig office, ItemNumbers numbers, DirectoryService directory,
            ItemAccess access, History history, CalendarService calendar, ItemWarnings warnings) {
        this.clock = clock;
        this.zone = office.zone();
        this.numbers = numbers;
        this.directory = directory;
        this.access = access;
        this.history = history;
        this.calendar = calendar;
        this.warnings = warnings;
    }

    @Transactional
    public SupervisionItem create(ItemRequest r, Caller caller) {
        List<String> assists = checkUnits(r.leadUnit(), r.assistUnits());
        if ((r.deadline() == null) == (r.deadlineWorkingDays() == null)) {
            throw ProblemException.invalid("deadline", "field.deadlineOneOf");
        }
        checkExternalRef(Texts.strippedOrNull(r.externalSystem()), Texts.strippedOrNull(r.externalRef()));
        Instant now = clock.instant();
        SupervisionItem item = new SupervisionItem();
        item.id = UUID.randomUUID();
        item.number = numbers.next(LocalDate.now(clock).getYear());
        item.title = r.title().strip();
        item.description = r.description();
        item.sourceType = r.sourceType();
        item.sourceRef = r.sourceRef();
        item.priority = r.priority() == null ? Priority.NORMAL : r.priority();
        item.category = r.category();
        item.responsibleLeader = r.responsibleLeader();
        deadlines().set(item, r.deadline(), r.deadlineWorkingDays(), LocalDate.now(clock));
        item.feedbackCycle = r.feedbackCycle() == null ? FeedbackCycle.NONE : r.feedbackCycle();
        item.status = ItemStatus.DRAFT;
        item.leadUnitCode = r.leadUnit();
        item.externalSystem = Texts.strippedOrNull(r.externalSystem());
        item.externalRef = Texts.strippedOrNull(r.externalRef());
        item.createdBy = caller.username();
        item.createdAt = now;
        item.updatedAt = now;
        item.persist();
        plan(item, r.leadUnit(), assists, now);
        history.record(item, caller, TimelineAction.CREATE, null, null, snapshot(item, assists), null, now);
        return item;
    }

    private Deadlines deadlines() {
        return new Deadlines(calendar.calculator());
    }

    /** Both or neither; and one item per reference of a system (409 names the existing item). */
    private static void checkExternalRef(String system, String ref) {
        boolean hasSystem = system != null;
        boolean hasRef = ref != null;
        if (hasSystem != hasRef) {
            throw ProblemException.invalid(hasSystem ? "externalRef" : "externalSystem", "field.externalPair");
        }
        if (hasRef) {
            SupervisionItem.<SupervisionItem>find("externalSystem = ?1 and externalRef = ?2", system, ref)
                    .firstResultOptional().ifPresent(existing -> {
                        throw ProblemException.conflict("external-ref-exists", system, ref, existing.number);
                    });
        }
    }

    /** The lead unit and the assist units, checked: known, active, each named once. */
    private List<String> checkUnits(String lead, List<String> assistUnits) {
        directory.activeUnit(lead, "leadUnit");
        List<String> assists = assistUnits == null ? List.of() : assistUnits;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < assists.size(); i++) {
            String code = assists.get(i);
            directory.activeUnit(code, "assistUnits[" + i + "]");
            if (code.equals(lead) || !seen.add(code)) {
                throw ProblemException.invalid("assistUnits[" + i + "]", "field.duplicateUnit", code);
            }
        }
        return List.copyOf(seen);
    }

    private void plan(SupervisionItem item, String lead, List<String> assists, Instant now) {
        Assignment.create(item, lead, AssignmentRole.LEAD, AssignmentStatus.PLANNED, now);
        for (String code : assists) {
            Assignment.create(item, code, AssignmentRole.ASSIST, AssignmentStatus.PLANNED, now);
        }
    }

    @Transactional
    public SupervisionItem patch(UUID id, ItemPatch p, Caller caller, String ifMatch) {
        Etags.requirePresent(ifMatch);
        SupervisionItem item = access.forChange(id, caller, ifMatch);
        Lifecycle.next(item.status, ItemAction.EDIT);
        boolean draft = item.status == ItemStatus.DRAFT;
        if (!draft && (p.deadline() != null || p.deadlineWorkingDays() != null || p.leadUnit() != null
                || p.assistUnits() != null)) {
            String field = p.deadline() != null ? "deadline" : p.deadlineWorkingDays() != null ? "deadlineWorkingDays"
                    : p.leadUnit() != null ? "leadUnit" : "assistUnits";
            throw new ProblemException(409, "field-locked", field);
        }
        if (p.deadline() != null && p.deadlineWorkingDays() != null) {
            throw ProblemException.invalid("deadline", "field.deadlineOneOf");
        }
        List<Assignment> planned = Assignment.ofItem(item.id);
        List<String> currentAssists = planned.stream().filter(a -> a.role == AssignmentRole.ASSIST)
                .map(a -> a.unitCode).toList();
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        item.title = change("title", item.title, p.title() == null ? null : p.title().strip(), before, after);
        item.description = changeText("description", item.description, p.description(), before, after);
        item.sourceType = change("sourceType", item.sourceType, p.sourceType(), before, after);
        item.sourceRef = changeText("sourceRef", item.sourceRef, p.sourceRef(), before, after);
        item.priority = change("priority", item.priority, p.priority(), before, after);
        item.category = changeText("category", item.category, p.category(), before, after);
        item.responsibleLeader = changeText("responsibleLeader", item.responsibleLeader, p.responsibleLeader(),
                before, after);
        item.feedbackCycle = change("feedbackCycle", item.feedbackCycle, p.feedbackCycle(), before, after);
        if (draft) {
            if (p.deadline() != null || p.deadlineWorkingDays() != null) {
                LocalDate oldDeadline = item.deadline;
                Integer oldDays = item.deadlineWorkingDays;
                deadlines().set(item, p.deadline(), p.deadlineWorkingDays(), LocalDate.now(clock));
                change("deadline", oldDeadline, item.deadline, before, after);
                if (!Objects.equals(oldDays, item.deadlineWorkingDays)) {
                    before.put("deadlineWorkingDays", oldDays);
                    after.put("deadlineWorkingDays", item.deadlineWorkingDays);
                }
            }
            String lead = p.leadUnit() == null ? item.leadUnitCode : p.leadUnit();
            List<String> assists = p.assistUnits() == null ? currentAssists : p.assistUnits();
            if (!lead.equals(item.leadUnitCode) || !assists.equals(currentAssists)) {
                assists = checkUnits(lead, assists);
                change("leadUnit", item.leadUnitCode, lead, before, after);
                change("assistUnits", currentAssists, assists, before, after);
                item.leadUnitCode = lead;
                planned.forEach(Assignment::delete);
                Assignment.getEntityManager().flush();
                plan(item, lead, assists, clock.instant());
            } else {
                planned.forEach(a -> Deadlines.follow(a, item));
            }
        }
        if (after.isEmpty()) {
            return item;
        }
        Instant now = clock.instant();
        item.updatedAt = now;
        history.record(item, caller, TimelineAction.EDIT, null, before, after, null, now);
        if (!draft) {
            for (Assignment a : planned) {
                if (a.status.isLive()) {
                    history.emit(new EventData.ItemUpdated(List.copyOf(after.keySet())), item, a, caller, now);
                }
            }
        }
        SupervisionItem.getEntityManager().flush();
        return item;
    }

    private static <T> T change(String field, T current, T requested, Map<String, Object> before,
            Map<String, Object> after) {
        if (requested == null || Objects.equals(current, requested)) {
            return current;
        }
        before.put(field, plain(current));
        after.put(field, plain(requested));
        return requested;
    }

    /** An optional text field: null leaves it, an empty string clears it. */
    private static String changeText(String field, String current, String requested, Map<String, Object> before,
            Map<String, Object> after) {
        if (requested != null && requested.isEmpty()) {
            if (current != null) {
                before.put(field, current);
                after.put(field, null);
            }
            return null;
        }
        return change(field, current, requested, before, after);
    }

    /** A value as the timeline stores it: enums by name, lists as JSON arrays, the rest as text. */
    private static Object plain(Object value) {
        if (value == null || value instanceof List<?>) {
            return value;
        }
        return value instanceof Enum<?> e ? e.name() : value.toString();
    }

    static Map<String, Object> snapshot(SupervisionItem item, List<String> assists) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", item.status.name());
        m.put("title", item.title);
        m.put("deadline", item.deadline.toString());
        m.put("priority", item.priority.name());
        m.put("leadUnit", item.leadUnitCode);
        m.put("assistUnits", assists);
        return m;
    }

    /**
     * The item's ETag: its version (what If-Match compares) and the basis of its light (today and the
     * calendar revision), so that If-None-Match never keeps a light that midnight or an import changed.
     */
    public String etag(SupervisionItem item) {
        return Etags.of(item.version, warnings.basis());
    }

    /** The item as this caller may see it: a handler sees only their own unit's part. */
    public Views.Item view(SupervisionItem item, Caller caller) {
        Predicate<String> shown = caller.unitScoped() ? caller.unitCode()::equals : u -> true;
        WarningPolicy policy = warnings.policy();
        List<Assignment> all = Assignment.ofItem(item.id);
        // A handler sees their own unit's assignments as received (a reassigned-away one included, as history).
        List<Views.AssignmentView> assignments = all.stream()
                .filter(a -> shown.test(a.unitCode))
                .filter(a -> a.dispatchedAt != null || !caller.unitScoped())
                .map(a -> Views.AssignmentView.of(a, zone, warnings.forAssignment(policy, item, a))).toList();
        List<Views.InstructionView> instructions = Instruction.<Instruction>list("itemId", Sort.by("createdAt"), item.id)
                .stream().map(i -> Views.InstructionView.of(i, zone)).toList();
        List<Views.ExtensionView> extensions = ExtensionRequest.<ExtensionRequest>list("itemId",
                Sort.by("requestedAt"), item.id).stream().filter(e -> shown.test(e.unitCode))
                .map(e -> Views.ExtensionView.of(e, zone)).toList();
        List<Views.ProgressView> progress = ProgressReport.<ProgressReport>list("itemId", Sort.by("reportedAt"),
                item.id).stream().filter(r -> shown.test(r.unitCode)).map(r -> Views.ProgressView.of(r, zone))
                .toList();
        // A handler's view of the item's light covers only what their own unit can act on.
        List<Assignment> counted = all.stream().filter(a -> shown.test(a.unitCode)).toList();
        return Views.Item.of(item, zone, warnings.forItem(policy, item, counted), warnings.completion(policy, item),
                assignments, instructions, extensions, progress);
    }

    public Page<Views.TimelineView> timeline(UUID id, Caller caller, Integer limit, String cursor) {
        int n = Cursors.limit(limit, TIMELINE_LIMIT, TIMELINE_MAX_LIMIT);
        SupervisionItem item = access.visible(id, caller);
        StringBuilder where = new StringBuilder("itemId = :item");
        Parameters p = Parameters.with("item", item.id);
        if (caller.unitScoped()) {
            // A handler sees the lines of their own unit and of the item as a whole.
            where.append(" and (unitCode is null or unitCode = :unit)");
            p.and("unit", caller.unitCode());
        }
        if (cursor != null && !cursor.isBlank()) {
            String[] after = Cursors.decode(cursor, "timeline", 2);
            try {
                if (!UUID.fromString(after[0]).equals(item.id)) {
                    throw new IllegalArgumentException("a cursor of another item's timeline");
                }
                p.and("after", Long.valueOf(after[1]));
            } catch (IllegalArgumentException e) {
                throw Cursors.bad();
            }
            where.append(" and id > :after");
        }
        List<TimelineEntry> rows = TimelineEntry.<TimelineEntry>find(where.toString(), Sort.by("id"), p).page(0, n + 1).list();
        return Page.of(rows, n, last -> Cursors.encode("timeline", item.id, last.id),
                t -> Views.TimelineView.of(t, zone, TimelineAction.valueOf(t.action).label()));
    }
}
