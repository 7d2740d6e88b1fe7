package io.duban.report.support;

import io.duban.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * task-service's data, written straight into its tables as task-service's lifecycle would leave them
 * (report-service cannot call task-service in its own tests): the triggers stay on, so the timeline's
 * hash chain, unit_item and the change log are kept by the database as in production. Times are
 * office times (Asia/Shanghai), "2026-09-01 10:00" or a date (09:00 that day).
 */
public final class TaskData implements AutoCloseable {

    public static final ZoneId OFFICE = ZoneId.of("Asia/Shanghai");

    private final Connection c;
    private final Map<String, UUID> items = new HashMap<>();
    private final Map<String, LocalDate> deadlines = new HashMap<>();
    private int numbers;

    private TaskData(Connection c) {
        this.c = c;
    }

    /** Empties task-service's tables (units, items and all that hangs on them; the calendar stays). */
    public static TaskData fresh() {
        try {
            Connection c = TestDatabase.forModule("report-service").admin();
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path = task");
                s.execute("BEGIN");
                // The timeline refuses TRUNCATE by trigger: set the triggers aside for this one statement.
                s.execute("SET LOCAL session_replication_role = replica");
                s.execute("TRUNCATE unit_item, assignment_change, outbox_event, timeline_entry, progress_report,"
                        + " extension_request, instruction, assignment, supervision_item, item_number_counter,"
                        + " idempotency_key, person, unit");
                s.execute("COMMIT");
            }
            return new TaskData(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs bench/datagen/generate.sql (the performance issue's generator) with small numbers: a
     * realistic mix of items around the real today, not a fixture.
     */
    public static void generate(int items, int units, double seed) {
        try {
            String script = Files.readString(Path.of("../bench/datagen/generate.sql"));
            StringBuilder sql = new StringBuilder();
            for (String line : script.split("\n")) {
                if (!line.startsWith("\\")) {
                    sql.append(line).append('\n');
                }
            }
            String body = sql.toString();
            body = body.substring(0, body.indexOf("COMMIT;") + "COMMIT;".length());
            body = body.replace(":items", String.valueOf(items)).replace(":units", String.valueOf(units))
                    .replace(":people", String.valueOf(units * 5)).replace(":open", "0")
                    .replace(":seed", String.valueOf(seed));
            try (Connection c = TestDatabase.forModule("report-service").admin(); Statement s = c.createStatement()) {
                s.execute(body);
                s.execute("ANALYZE");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Timestamp at(String officeTime) {
        LocalDateTime t = officeTime.length() == 10 ? LocalDate.parse(officeTime).atTime(9, 0)
                : LocalDateTime.parse(officeTime.replace(' ', 'T'));
        return Timestamp.from(t.atZone(OFFICE).toInstant());
    }

    public UUID id(String item) {
        return items.get(item);
    }

    private void exec(String sql, Object... params) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void timeline(String item, String when, String action, String unit, String after, String note) {
        exec("INSERT INTO task.timeline_entry (item_id, occurred_at, actor, actor_role, action, unit_code, after, note)"
                + " VALUES (?, ?, 'fixture', 'supervisor', ?, ?, CAST(? AS jsonb), ?)", id(item), at(when), action, unit, after, note);
    }

    public TaskData unit(String code, String name) {
        exec("INSERT INTO task.unit (code, name, short_name, active, created_at) VALUES (?, ?, ?, true, now())", code, name, name);
        return this;
    }

    /**
     * A dispatched item with its lead unit (waiting for acceptance) and assist units; the source,
     * priority and category given, feedback NONE unless {@link #weekly}.
     */
    public TaskData item(String key, String when, String deadline, String lead, String... assists) {
        return item(key, when, deadline, "LEADER_INSTRUCTION", "NORMAL", "城市建设", lead, assists);
    }

    public TaskData item(String key, String when, String deadline, String source, String priority, String category,
            String lead, String... assists) {
        UUID id = UUID.randomUUID();
        items.put(key, id);
        LocalDate due = LocalDate.parse(deadline);
        deadlines.put(key, due);
        Timestamp t = at(when);
        exec("INSERT INTO task.supervision_item (id, number, title, source_type, priority, category, responsible_leader,"
                + " deadline, original_deadline, feedback_cycle, status, lead_unit_code, created_by, created_at, updated_at,"
                + " dispatched_at, version) VALUES (?, ?, ?, ?, ?, ?, '王副区长', ?, ?, 'NONE', 'ACTIVE', ?, 'fixture', ?, ?, ?, 1)",
                id, String.format("DB-2026-%04d", ++numbers), "事项" + key, source, priority, category, due, due, lead, t, t, t);
        timeline(key, when, "CREATE", null, null, null);
        timeline(key, when, "DISPATCH", null, null, null);
        assignment(key, lead, "LEAD", when, due, null);
        for (String a : assists) {
            assignment(key, a, "ASSIST", when, due, null);
        }
        return this;
    }

    public TaskData weekly(String key) {
        exec("UPDATE task.supervision_item SET feedback_cycle = 'WEEKLY' WHERE id = ?", id(key));
        return this;
    }

    private void assignment(String key, String unit, String role, String when, LocalDate due, String from) {
        exec("INSERT INTO task.assignment (id, item_id, unit_code, role, status, deadline, original_deadline, reassigned_from,"
                + " created_at, updated_at, dispatched_at) VALUES (?, ?, ?, ?, 'PENDING_ACCEPTANCE', ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID(), id(key), unit, role, due, due, from, at(when), at(when), at(when));
    }

    private String live(String unit) {
        return " WHERE item_id = ? AND unit_code = '" + unit.replace("'", "") + "' AND status <> 'REASSIGNED'";
    }

    public TaskData accept(String key, String unit, String when) {
        exec("UPDATE task.assignment SET status = 'IN_PROGRESS', accepted_at = ?, updated_at = ?" + live(unit),
                at(when), at(when), id(key));
        timeline(key, when, "ACCEPT", unit, null, null);
        return this;
    }

    public TaskData progress(String key, String unit, String when, int percent) {
        exec("INSERT INTO task.progress_report (id, item_id, assignment_id, unit_code, content, percent, reported_by, reported_at)"
                + " SELECT ?, item_id, id, unit_code, '已完成初步方案', ?, 'fixture', ? FROM task.assignment" + live(unit),
                UUID.randomUUID(), percent, at(when), id(key));
        exec("UPDATE task.assignment SET progress_percent = ?, last_progress_at = ?" + live(unit), percent, at(when), id(key));
        timeline(key, when, "REPORT_PROGRESS", unit, "{\"percent\": " + percent + "}", null);
        return this;
    }

    public TaskData submit(String key, String unit, String when) {
        exec("UPDATE task.assignment SET status = 'SUBMITTED', submitted_at = ?, updated_at = ?" + live(unit),
                at(when), at(when), id(key));
        exec("UPDATE task.supervision_item SET status = 'PENDING_REVIEW', updated_at = ? WHERE id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM task.assignment a WHERE a.item_id = supervision_item.id"
                + "   AND a.status IN ('PENDING_ACCEPTANCE', 'IN_PROGRESS'))", at(when), id(key));
        timeline(key, when, "SUBMIT", unit, null, null);
        return this;
    }

    /** 退回重办: the review sends the item back to its units. */
    public TaskData returnForRework(String key, String when) {
        exec("UPDATE task.assignment SET status = 'IN_PROGRESS', submitted_at = NULL, updated_at = ?"
                + " WHERE item_id = ? AND status = 'SUBMITTED'", at(when), id(key));
        exec("UPDATE task.supervision_item SET status = 'ACTIVE', updated_at = ? WHERE id = ?", at(when), id(key));
        timeline(key, when, "RETURN", null, null, "请补充材料");
        return this;
    }

    public TaskData approve(String key, String when, String rating) {
        exec("UPDATE task.supervision_item SET status = 'COMPLETED', completed_at = ?, rating = ?, updated_at = ?,"
                + " completed_on_time = (CAST(? AS date) <= deadline) WHERE id = ?",
                at(when), rating, at(when), at(when).toInstant().atZone(OFFICE).toLocalDate(), id(key));
        exec("UPDATE task.assignment SET status = 'DONE', completed_at = ?, updated_at = ?"
                + " WHERE item_id = ? AND status IN ('SUBMITTED', 'IN_PROGRESS', 'PENDING_ACCEPTANCE')", at(when), at(when), id(key));
        timeline(key, when, "APPROVE", null, null, null);
        return this;
    }

    public TaskData cancel(String key, String when) {
        exec("UPDATE task.supervision_item SET status = 'CANCELLED', cancelled_at = ?, updated_at = ? WHERE id = ?",
                at(when), at(when), id(key));
        exec("UPDATE task.assignment SET status = 'CANCELLED', updated_at = ? WHERE item_id = ? AND status <> 'REASSIGNED'",
                at(when), id(key));
        timeline(key, when, "CANCEL", null, null, null);
        return this;
    }

    public TaskData decline(String key, String unit, String when) {
        exec("UPDATE task.assignment SET status = 'DECLINED', decline_reason = '不属于本单位职责', updated_at = ?" + live(unit),
                at(when), id(key));
        timeline(key, when, "DECLINE", unit, null, "不属于本单位职责");
        return this;
    }

    /** 转办: the unit's assignment goes to another unit, which receives it now (same role and deadline). */
    public TaskData reassign(String key, String from, String to, String when) {
        exec("UPDATE task.assignment SET status = 'REASSIGNED', reassigned_to = ?, updated_at = ?" + live(from),
                to, at(when), id(key));
        exec("INSERT INTO task.assignment (id, item_id, unit_code, role, status, deadline, original_deadline, reassigned_from,"
                + " created_at, updated_at, dispatched_at)"
                + " SELECT ?, item_id, ?, role, 'PENDING_ACCEPTANCE', deadline, original_deadline, ?, ?, ?, ?"
                + " FROM task.assignment WHERE item_id = ? AND unit_code = ? AND status = 'REASSIGNED' AND reassigned_to = ?",
                UUID.randomUUID(), to, from, at(when), at(when), at(when), id(key), from, to);
        exec("UPDATE task.supervision_item SET lead_unit_code = ? WHERE id = ? AND lead_unit_code = ?", to, id(key), from);
        timeline(key, when, "REASSIGN", from, "{\"toUnit\": \"" + to + "\"}", null);
        return this;
    }

    /** A decided (or pending, decided null) extension request; an approval moves the unit's deadline. */
    public TaskData extension(String key, String unit, String asked, String to, String status, String decided) {
        LocalDate requested = LocalDate.parse(to);
        exec("INSERT INTO task.extension_request (id, item_id, assignment_id, unit_code, current_deadline, requested_deadline,"
                + " reason, status, requested_by, requested_at, decided_by, decided_at)"
                + " SELECT ?, item_id, id, unit_code, deadline, ?, '需协调多个部门', ?, 'fixture', ?, ?, ?"
                + " FROM task.assignment" + live(unit), UUID.randomUUID(), requested, status, at(asked),
                decided == null ? null : "fixture", decided == null ? null : at(decided), id(key));
        if ("APPROVED".equals(status)) {
            exec("UPDATE task.assignment SET deadline = ?" + live(unit), requested, id(key));
            exec("UPDATE task.supervision_item SET deadline = ? WHERE id = ? AND lead_unit_code = ?", requested, id(key), unit);
        }
        return this;
    }

    public TaskData urge(String key, String unit, String when) {
        exec("UPDATE task.assignment SET urge_count = urge_count + 1" + live(unit), id(key));
        try (PreparedStatement s = c.prepareStatement("SELECT urge_count FROM task.assignment" + live(unit))) {
            s.setObject(1, id(key));
            try (var rs = s.executeQuery()) {
                rs.next();
                timeline(key, when, "URGE", unit, "{\"urgeCount\": " + rs.getInt(1) + "}", "请抓紧办理");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
