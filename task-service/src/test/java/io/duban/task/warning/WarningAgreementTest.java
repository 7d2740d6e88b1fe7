package io.duban.task.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import io.duban.common.domain.WarningLevel;
import io.duban.common.paging.Page;
import io.duban.common.security.Caller;
import io.duban.common.warning.Warning;
import io.duban.common.warning.WarningPolicy;
import io.duban.task.api.Views;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.ItemRow;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.domain.UnitItem;
import io.duban.task.service.ItemAccess;
import io.duban.task.service.ItemQuery;
import io.duban.task.service.ItemSearch;
import io.duban.task.support.Fixture;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The warning rule exists twice, as Java ({@link WarningPolicy#forItem}) for the light a row shows and
 * as a query predicate ({@link WarningPolicy#predicate}) for the list's `?warning=` filter. On many
 * generated items (every status, cycle, deadline around the day, report clocks of every age) and
 * many days (across 国庆 and its make-up Saturday), the filter of each level returns exactly the
 * items the Java rule gives that level, for the office and for each unit's handler.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class WarningAgreementTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate BASE = LocalDate.of(2026, 9, 30);

    @Inject
    SettableClock clock;

    @Inject
    ItemSearch search;

    @Inject
    ItemWarnings warnings;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theFilterOfEachLevelReturnsExactlyTheItemsTheJavaRuleGivesThatLevel() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> units = List.of(Fixture.unit("W"), Fixture.unit("W"), Fixture.unit("W"));
        String system = "WARN" + Long.toHexString(random.nextLong() & 0xffffffffL);
        QuarkusTransaction.requiringNew().run(() -> generate(random, units, system, 300));

        List<LocalDate> days = new ArrayList<>(List.of(BASE, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 9),
                LocalDate.of(2026, 10, 10), LocalDate.of(2026, 10, 12)));
        for (int i = 0; i < 5; i++) {
            days.add(BASE.plusDays(random.nextInt(81) - 40));
        }
        Caller office = new Caller("office-t", Set.of("supervisor"), "DCS");
        int compared = 0;
        for (LocalDate day : days) {
            clock.pin(day);
            List<Caller> callers = new ArrayList<>(List.of(office));
            units.forEach(u -> callers.add(new Caller("handler-t", Set.of("handler"), u)));
            for (Caller caller : callers) {
                Map<WarningLevel, Set<UUID>> expected = javaLevels(system, caller);
                for (WarningLevel level : WarningLevel.values()) {
                    List<UUID> filtered = filter(system, level, caller, 2000, 100);
                    assertEquals(expected.getOrDefault(level, Set.of()), new TreeSet<>(filtered), () -> "seed " + seed + ", day "
                            + day + ", " + level + ", " + (caller.unitScoped() ? caller.unitCode() : "office"));
                    // The same with a walk shorter than a page (ItemSearch.ListQuery.searched): YELLOW and
                    // GREEN pages come partly from the walk and partly from beyond it.
                    assertEquals(filtered, filter(system, level, caller, 7, 10), () -> "walk of 7, seed " + seed
                            + ", day " + day + ", " + level + ", " + (caller.unitScoped() ? caller.unitCode() : "office"));
                    compared += filtered.size();
                }
            }
        }
        assertTrue(compared > 300, "the generated items light up across the days: " + compared);
    }

    /** The visibility rule, too, is written twice: ItemAccess.seenThrough in Java, unit_item.received in SQL. */
    @Test
    void theVisibilityIndexAgreesWithTheJavaRule() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> units = List.of(Fixture.unit("V"), Fixture.unit("V"), Fixture.unit("V"));
        String system = "VIS" + Long.toHexString(random.nextLong() & 0xffffffffL);
        QuarkusTransaction.requiringNew().run(() -> generate(random, units, system, 200));
        QuarkusTransaction.requiringNew().run(() -> {
            for (String unit : units) {
                Set<UUID> java = Assignment.<Assignment>list("unitCode", unit).stream().filter(ItemAccess::seenThrough)
                        .map(a -> a.itemId).collect(Collectors.toCollection(TreeSet::new));
                Set<UUID> sql = UnitItem.<UnitItem>list("unitCode = ?1 and received = true", unit).stream()
                        .map(v -> v.itemId).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(java, sql, "seed " + seed + ", unit " + unit);
                assertTrue(!java.isEmpty(), "the unit sees some of the generated items");
            }
        });
    }

    /** The light of every visible item as the Java rule gives it, grouped by level. */
    private Map<WarningLevel, Set<UUID>> javaLevels(String system, Caller caller) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ItemRow> items = SupervisionItem.getEntityManager()
                    .createQuery(ItemRow.SELECT + " from SupervisionItem i where i.externalSystem = :s", ItemRow.class)
                    .setParameter("s", system).getResultList();
            if (caller.unitScoped()) {
                Set<UUID> seen = Assignment.<Assignment>list("unitCode", caller.unitCode()).stream()
                        .filter(ItemAccess::seenThrough).map(a -> a.itemId).collect(Collectors.toSet());
                items = items.stream().filter(i -> seen.contains(i.id())).toList();
            }
            Map<UUID, Warning> lights = warnings.forItems(warnings.policy(), items,
                    caller.unitScoped() ? caller.unitCode() : null);
            return lights.entrySet().stream().collect(Collectors.groupingBy(e -> e.getValue().level(),
                    Collectors.mapping(Map.Entry::getKey, Collectors.toCollection(TreeSet::new))));
        });
    }

    /** Every item the list returns for the level, page by page, each page the list's order. */
    private List<UUID> filter(String system, WarningLevel level, Caller caller, int walk, int limit) {
        List<UUID> ids = new ArrayList<>();
        String cursor = null;
        do {
            String after = cursor;
            Page<Views.ItemSummary> page = QuarkusTransaction.requiringNew().call(() -> {
                var p = search.search(new ItemQuery(null, null, null, null, null, null, null, level, system, null,
                        null, null, limit, after), caller, walk);
                // The walk turns bitmap scans off for itself only, not for the rest of the transaction.
                assertEquals("on", SupervisionItem.getEntityManager()
                        .createNativeQuery("SELECT current_setting('enable_bitmapscan')").getSingleResult());
                return p;
            });
            page.items().forEach(i -> {
                ids.add(i.id());
                // The row's own light agrees with the filter that found it.
                assertEquals(level, i.warning().level(), "row light of " + i.number());
            });
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(ids.size(), new TreeSet<>(ids).size(), "no item twice");
        return ids;
    }

    private static void generate(Random random, List<String> units, String system, int count) {
        ItemStatus[] statuses = { ItemStatus.DRAFT, ItemStatus.ACTIVE, ItemStatus.ACTIVE, ItemStatus.ACTIVE,
                ItemStatus.PENDING_REVIEW, ItemStatus.COMPLETED, ItemStatus.CANCELLED };
        AssignmentStatus[] assignmentStatuses = { AssignmentStatus.PENDING_ACCEPTANCE, AssignmentStatus.IN_PROGRESS,
                AssignmentStatus.IN_PROGRESS, AssignmentStatus.IN_PROGRESS, AssignmentStatus.SUBMITTED,
                AssignmentStatus.DECLINED, AssignmentStatus.DONE, AssignmentStatus.REASSIGNED };
        Instant created = BASE.minusDays(90).atStartOfDay(ZONE).toInstant();
        for (int n = 0; n < count; n++) {
            SupervisionItem item = new SupervisionItem();
            item.id = UUID.randomUUID();
            item.number = system.substring(0, 8) + "-" + n;
            item.title = "预警一致性测试事项 " + n;
            item.sourceType = SourceType.OTHER;
            item.priority = Priority.NORMAL;
            item.status = statuses[random.nextInt(statuses.length)];
            item.deadline = BASE.plusDays(random.nextInt(101) - 50);
            item.originalDeadline = item.deadline;
            item.feedbackCycle = FeedbackCycle.values()[random.nextInt(FeedbackCycle.values().length)];
            List<String> mine = new ArrayList<>(units);
            Collections.shuffle(mine, random);
            item.leadUnitCode = mine.get(0);
            item.externalSystem = system;
            item.externalRef = "ref-" + n;
            item.createdBy = "generator";
            item.createdAt = created;
            item.updatedAt = created;
            boolean dispatched = item.status != ItemStatus.DRAFT;
            item.dispatchedAt = dispatched ? at(random, -90, -10) : null;
            item.persist();
            int assignments = 1 + random.nextInt(3);
            Set<String> used = new HashSet<>();
            for (int k = 0; k < assignments; k++) {
                Assignment a = new Assignment();
                a.id = UUID.randomUUID();
                a.itemId = item.id;
                a.unitCode = mine.get(k);
                used.add(a.unitCode);
                a.role = k == 0 ? AssignmentRole.LEAD : AssignmentRole.ASSIST;
                a.status = dispatched ? assignmentStatuses[random.nextInt(assignmentStatuses.length)]
                        : AssignmentStatus.PLANNED;
                a.deadline = item.deadline;
                a.originalDeadline = item.deadline;
                a.dispatchedAt = dispatched && random.nextInt(10) > 0 ? at(random, -90, -1) : null;
                a.lastProgressAt = random.nextBoolean() ? at(random, -60, 0) : null;
                a.createdAt = created;
                a.updatedAt = created;
                a.persist();
            }
        }
    }

    /** An instant at a random hour between the given days around the base day. */
    private static Instant at(Random random, int fromDays, int toDays) {
        return BASE.plusDays(fromDays + random.nextInt(toDays - fromDays + 1)).atStartOfDay(ZONE)
                .plusHours(random.nextInt(24)).plusMinutes(random.nextInt(60)).toInstant();
    }
}
