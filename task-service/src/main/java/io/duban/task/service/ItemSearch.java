package io.duban.task.service;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.WarningLevel;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.common.time.OfficeConfig;
import io.duban.common.time.OfficeDates;
import io.duban.common.warning.Warning;
import io.duban.common.warning.WarningPolicy;
import io.duban.common.web.Texts;
import io.duban.task.api.Views;
import io.duban.task.config.DubanConfig;
import io.duban.task.domain.ItemRow;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.warning.ItemWarnings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The item list: filters, a sort, and keyset paging behind an opaque cursor, so that a page costs
 * the same however deep the client has scrolled and rows added meanwhile are neither lost nor repeated.
 */
@ApplicationScoped
public class ItemSearch {

    /** Sortable fields: API name → entity attribute. Every sort ends with the id, which breaks ties. */
    private static final Map<String, String> SORTS = Map.of("createdAt", "createdAt", "deadline", "deadline",
            "number", "number", "updatedAt", "updatedAt");

    private final Clock clock;
    private final ZoneId zone;
    private final DubanConfig.Paging paging;
    private final ItemWarnings warnings;

    public ItemSearch(Clock clock, OfficeConfig office, DubanConfig config, ItemWarnings warnings) {
        this.clock = clock;
        this.zone = office.zone();
        this.paging = config.paging();
        this.warnings = warnings;
    }

    public Page<Views.ItemSummary> search(ItemQuery q, Caller caller) {
        return search(q, caller, paging.searchWalk());
    }

    /** As {@link #search(ItemQuery, Caller)}, walking {@code walk} rows first where ListQuery.searched does. */
    public Page<Views.ItemSummary> search(ItemQuery q, Caller caller, int walk) {
        String sort = q.sort() == null || q.sort().isBlank() ? "-createdAt" : q.sort();
        boolean desc = sort.startsWith("-");
        String field = SORTS.get(desc ? sort.substring(1) : sort);
        if (field == null) {
            throw ProblemException.invalid("sort", "field.sort", String.join(", ", SORTS.keySet()));
        }
        int limit = Cursors.limit(q.limit(), paging.defaultLimit(), paging.maxLimit());

        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        // One unit's items (a handler's own, or the office's ?unit=) are read from that unit's rows of
        // unit_item, in the order of its index: the item's sort keys are copied there, so a page costs
        // the same however many items the city has. `k` is where the sort keys are read from.
        String byUnit = caller.unitScoped() ? caller.unitCode() : blankToNull(q.unit());
        String from = "SupervisionItem i";
        String k = "i";
        String id = "i.id";
        if (byUnit != null) {
            from = "UnitItem v join SupervisionItem i on i.id = v.itemId";
            k = "v";
            id = "v.itemId";
            where.append(" and v.unitCode = :byUnit");
            params.put("byUnit", byUnit);
            if (caller.unitScoped()) {
                // The visibility rule (ItemAccess.seenThrough) in SQL.
                where.append(" and v.received = true");
            } else {
                where.append(" and v.assignmentStatus <> :withdrawn");
                params.put("withdrawn", AssignmentStatus.CANCELLED);
            }
        }
        if (q.status() != null && !q.status().isEmpty()) {
            where.append(" and ").append(k).append(byUnit != null ? ".itemStatus" : ".status").append(" in :status");
            params.put("status", q.status());
        }
        if (caller.unitScoped() && blankToNull(q.unit()) != null) {
            where.append(" and exists (select 1 from Assignment u where u.itemId = i.id and u.unitCode = :unit"
                    + " and u.status not in :gone)");
            params.put("unit", q.unit());
            params.put("gone", AssignmentStatus.GONE);
        }
        if (q.sourceType() != null) {
            where.append(" and i.sourceType = :sourceType");
            params.put("sourceType", q.sourceType());
        }
        if (q.priority() != null) {
            where.append(" and i.priority = :priority");
            params.put("priority", q.priority());
        }
        if (q.deadlineFrom() != null) {
            where.append(" and i.deadline >= :deadlineFrom");
            params.put("deadlineFrom", q.deadlineFrom());
        }
        if (q.deadlineTo() != null) {
            where.append(" and i.deadline <= :deadlineTo");
            params.put("deadlineTo", q.deadlineTo());
        }
        if (q.overdue() != null) {
            where.append(q.overdue() ? " and i.status in :open and i.deadline < :today"
                    : " and not (i.status in :open and i.deadline < :today)");
            params.put("open", ItemStatus.IN_HANDLING);
            params.put("today", LocalDate.now(clock));
        }
        if (q.externalSystem() != null && !q.externalSystem().isBlank()) {
            where.append(" and i.externalSystem = :xsys");
            params.put("xsys", q.externalSystem());
        }
        if (q.externalRef() != null && !q.externalRef().isBlank()) {
            where.append(" and i.externalRef = :xref");
            params.put("xref", q.externalRef());
        }
        // Conditions that the planner cannot estimate (a light's report clocks, a title's words) are
        // kept apart from the others, with the index that finds a title's candidates: see ListQuery.searched.
        StringBuilder checked = new StringBuilder();
        Map<String, Object> checkedParams = new HashMap<>();
        String byIndex = "";
        Map<String, Object> byIndexParams = new HashMap<>();
        WarningPolicy policy = warnings.policy();
        if (q.warning() != null) {
            // A handler's light counts only their own unit's reports, as in the item view.
            WarningPolicy.Predicate light = warnings.predicate(policy, q.warning(),
                    caller.unitScoped() ? caller.unitCode() : null, byUnit != null);
            // RED is status and deadline alone, which the indexes serve; YELLOW and GREEN ask each
            // item's report clocks.
            (q.warning() == WarningLevel.RED ? where : checked).append(" and ").append(light.where());
            (q.warning() == WarningLevel.RED ? params : checkedParams).putAll(light.params());
        }
        if (q.q() != null && !q.q().isBlank()) {
            String t = q.q().strip();
            checked.append(" and lower(i.title) like lower(:text) escape '\\'");
            checkedParams.put("text", "%" + escapeLike(t) + "%");
            if (t.codePointCount(0, t.length()) >= 2) {
                // Candidates through the bigram index (V9), then LIKE checks them exactly.
                byIndex = " and array_includes(i.titleGrams, :grams)";
                byIndexParams.put("grams", titleBigrams(t));
            }
        }
        if (q.cursor() != null && !q.cursor().isBlank()) {
            Cursor c = Cursor.decode(q.cursor(), sort);
            String op = desc ? "<" : ">";
            where.append(" and (").append(k).append('.').append(field).append(' ').append(op).append(" :cv or (")
                    .append(k).append('.').append(field).append(" = :cv and ").append(id).append(' ').append(op)
                    .append(" :cid))");
            params.put("cv", c.typedValue(field));
            params.put("cid", c.id());
        }
        String dir = desc ? " desc" : " asc";
        ListQuery page = new ListQuery(from, where.toString(), params, k + "." + field, id, dir, walk);
        List<ItemRow> rows = checked.isEmpty()
                ? page.rows(checked.toString(), checkedParams, limit + 1)
                : page.searched(checked.toString(), checkedParams, byIndex, byIndexParams, desc, limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            ItemRow last = rows.get(limit - 1);
            next = new Cursor(sort, keyOf(last, field), last.id()).encode();
        }
        Map<UUID, Warning> lights = warnings.forItems(policy, rows, caller.unitScoped() ? caller.unitCode() : null);
        List<Views.ItemSummary> items = new ArrayList<>(rows.size());
        rows.forEach(i -> items.add(Views.ItemSummary.of(i, zone, lights.get(i.id()), warnings.completion(policy,
                i.status(), i.deadline(), i.completedAt()))));
        return new Page<>(items, next, limit);
    }

    /** One list query: what it reads, its filters (those the planner can estimate), its order. */
    private record ListQuery(String from, String where, Map<String, Object> params, String key, String id, String dir,
            int walk) {

        /**
         * The page's limit is written into the statement, not bound: PostgreSQL plans a statement it
         * has prepared once for any value of its parameters (after five executions), and a bound limit
         * counts as a tenth of the unit's rows there. At a city's scale that generic plan looks so
         * costly (a parallel scan for 1,500 rows) that every execution is planned again, 2.4x the cost
         * of the same page at 10,000 items (bench/results.md, "The handler's page and the plan cache").
         */
        List<ItemRow> rows(String checked, Map<String, Object> checkedParams, int max) {
            return query(ItemRow.SELECT, checked, checkedParams, ItemRow.class, max).getResultList();
        }

        /**
         * A page whose conditions the planner cannot estimate ({@code checked}: a title's words, a
         * YELLOW or GREEN light), the same rows as {@link #rows} in at most three bounded reads. In
         * sort order, the first page of a frequent word (a district's name, 整改任务: one item in ten)
         * or a common light lies among the first rows, while an index hands over every match (125,000
         * items for 整改任务 at a city's scale) to be fetched and sorted; for a rare word it is the other
         * way round. The planner cannot tell the two apart (a bigram array's statistics, an EXISTS on
         * report clocks) and fetched every match for both (650 ms for 整改任务 at 1,000,000 items, 256 ms
         * for YELLOW), even beside a bound on the sort key. So: (1) the sort key of the walk-th row
         * (duban.paging.search-walk) the other filters let through; (2) the page among the rows up to
         * that key, with the checked conditions but without {@code byIndex} (the bigram index) and
         * with bitmap scans off, so that they are walked in order until the page is full; (3) only
         * when that page is not full, the rest from the rows after that key, with the index, where
         * matches are few (fewer than one in walk / limit of the rows, or (2) would have filled the
         * page). Without an index for the rest (a light), (2) is tried once more over eight times as
         * many rows before (3).
         */
        List<ItemRow> searched(String checked, Map<String, Object> checkedParams, String byIndex,
                Map<String, Object> byIndexParams, boolean desc, int max) {
            // The planner setting is local to a transaction: one of its own when the request has none.
            return QuarkusTransaction.joiningExisting()
                    .call(() -> walkThenIndex(checked, checkedParams, byIndex, byIndexParams, desc, max));
        }

        private List<ItemRow> walkThenIndex(String checked, Map<String, Object> checkedParams, String byIndex,
                Map<String, Object> byIndexParams, boolean desc, int max) {
            // Without an index for the rest (a light, one character), a second, longer walk first.
            int[] walks = byIndex.isEmpty() ? new int[] { walk, walk * 8 } : new int[] { walk };
            String upTo = desc ? " >= " : " <= ";
            String past = desc ? " < " : " > ";
            List<ItemRow> page = new ArrayList<>();
            Object after = null;
            // A walk is an ordered index scan that stops at the page's last row: not a bitmap of every
            // row in the range, each checked (an EXISTS on report clocks for a light) and then sorted.
            String bitmaps = setting("enable_bitmapscan", "off");
            for (int w : walks) {
                List<Object> bound = query("select " + key, "", Map.of(), Object.class)
                        .setFirstResult(w - 1).setMaxResults(1).getResultList();
                if (bound.isEmpty()) {
                    break;
                }
                Map<String, Object> walked = new HashMap<>(checkedParams);
                walked.put("walkBound", bound.get(0));
                String range = " and " + key + upTo + ":walkBound";
                if (after != null) {
                    walked.put("walkedTo", after);
                    range += " and " + key + past + ":walkedTo";
                }
                page.addAll(query(ItemRow.SELECT, checked + range, walked, ItemRow.class)
                        .setMaxResults(max - page.size()).getResultList());
                after = bound.get(0);
                if (page.size() == max) {
                    break;
                }
            }
            setting("enable_bitmapscan", bitmaps);
            if (page.size() < max) {
                Map<String, Object> rest = new HashMap<>(checkedParams);
                rest.putAll(byIndexParams);
                String range = "";
                if (after != null) {
                    rest.put("walkedTo", after);
                    range = " and " + key + past + ":walkedTo";
                }
                page.addAll(query(ItemRow.SELECT, checked + byIndex + range, rest, ItemRow.class)
                        .setMaxResults(max - page.size()).getResultList());
            }
            return page;
        }

        /** Sets a planner setting for the rest of the transaction; returns what it was. */
        private static String setting(String name, String value) {
            Object[] r = (Object[]) SupervisionItem.getEntityManager()
                    .createNativeQuery("SELECT current_setting(?1), set_config(?1, ?2, true)")
                    .setParameter(1, name).setParameter(2, value).getSingleResult();
            return (String) r[0];
        }

        private <T> TypedQuery<T> query(String select, String more, Map<String, Object> moreParams, Class<T> type) {
            return query(select, more, moreParams, type, null);
        }

        private <T> TypedQuery<T> query(String select, String more, Map<String, Object> moreParams, Class<T> type,
                Integer limit) {
            TypedQuery<T> query = SupervisionItem.getEntityManager().createQuery(select + " from " + from + " where "
                    + where + more + " order by " + key + dir + ", " + id + dir + (limit == null ? "" : " limit " + limit), type);
            params.forEach(query::setParameter);
            moreParams.forEach(query::setParameter);
            return query;
        }
    }

    private static String keyOf(ItemRow i, String field) {
        return switch (field) {
            case "createdAt" -> i.createdAt().toString();
            case "updatedAt" -> i.updatedAt().toString();
            case "deadline" -> i.deadline().toString();
            default -> i.number();
        };
    }

    /** The title's bigrams as the database computes them (title_bigrams, V9): one definition for both sides. */
    private static String[] titleBigrams(String text) {
        return (String[]) SupervisionItem.getEntityManager().createNativeQuery("SELECT title_bigrams(?1)")
                .setParameter(1, text).getSingleResult();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The position after the last row of a page, bound to the sort it was made for. */
    record Cursor(String sort, String value, UUID id) {

        private static final String LIST = "tasks";

        String encode() {
            return Cursors.encode(LIST, sort, value, id);
        }

        static Cursor decode(String token, String expectedSort) {
            String[] f = Cursors.decode(token, LIST, 3);
            if (!f[0].equals(expectedSort)) {
                throw Cursors.bad();
            }
            try {
                return new Cursor(f[0], f[1], UUID.fromString(f[2]));
            } catch (IllegalArgumentException e) {
                throw Cursors.bad();
            }
        }

        Object typedValue(String field) {
            try {
                Object v = switch (field) {
                    case "createdAt", "updatedAt" -> Instant.parse(value);
                    case "deadline" -> LocalDate.parse(value);
                    default -> value;
                };
                // Our cursors hold what our rows hold; a crafted one with a date the database cannot
                // compare (year 300000) is not ours.
                if (v instanceof LocalDate d && !OfficeDates.contains(d)
                        || v instanceof Instant i && !OfficeDates.contains(LocalDate.ofInstant(i, ZoneOffset.UTC))
                        || v instanceof String t && Texts.lineFlaw(t) != null) {
                    throw new IllegalArgumentException("cursor value out of range");
                }
                return v;
            } catch (RuntimeException e) {
                throw Cursors.bad();
            }
        }
    }
}
