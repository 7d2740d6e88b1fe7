package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.postgres.PostgresServer;
import io.duban.system.support.Api;
import io.duban.system.support.Pipeline;
import io.duban.system.support.Rows;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.DevTokens;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backup and restore procedure of ops/README.md, end to end (issue 12): the three services build
 * up data through their APIs on a database of this test's own (items with progress, urges and their
 * timelines; notification-service's copies, planned reminders and notices; a bulletin of
 * report-service); {@code ops/backup-restore.sh backup} dumps the schemas; {@code restore} puts them
 * into a new, empty database; the services start on it.
 *
 * <p>What must hold: every row of every table, and every owner and grant, is as it was (compared whole,
 * not counted); the runtime role still may not change the timeline; Flyway finds its history and
 * migrates nothing; and through the APIs the items, timelines (hash chain intact), notices and
 * bulletins read exactly as before.
 */
class BackupRestoreTest {

    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of(System.getProperty("duban.build.dir", "target")).resolve("backup-restore");
    private static final String[] SCHEMAS = { "task", "reporting", "notification", "report" };
    private static final List<String> HISTORIES = List.of("task.task_schema_history",
            "notification.notification_schema_history", "report.report_schema_history");

    private final List<ServiceProcess> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(ServiceProcess::close);
    }

    @Test
    void theSuiteStartsOnARestoredBackupAndEverythingReadsAsBefore() throws Exception {
        TestDatabase source = fresh("backup_source");
        source.prepare();
        TestDatabase target = fresh("backup_target");

        // ---- data, through the APIs ----------------------------------------------------------------------
        Services before = start(source, true);
        List<String> units = Pipeline.units(before.task, 3);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(workedItem(before.task, units, i));
        }
        String bulletin = Pipeline.jsonId(before.report.post(DevTokens.supervisor(), "/api/v1/bulletins",
                Map.of("period", String.valueOf(LocalDate.now().getYear()), "preface", "备份恢复演练"), 201));
        Pipeline.awaitAllDelivered(before.task, Duration.ofMinutes(3));
        Rows sourceRows = new Rows(source::admin);
        assertTrue(sourceRows.count("SELECT count(*) FROM notification.planned_reminder") > 0, "reminders are planned");
        assertTrue(sourceRows.count("SELECT count(*) FROM notification.notification") > 0, "notices were written");
        Map<String, JsonNode> seen = views(before, items, units, bulletin);
        for (String item : items) {
            assertTrue(seen.get("verify " + item).path("intact").asBoolean(), "the chain is intact before: " + seen);
        }
        assertTrue(seen.get("notices " + units.get(2)).path("items").size() > 0, "the urged unit has notices: " + seen);
        before.stop();
        Map<String, List<String>> rows = sourceRows.tables(SCHEMAS);
        List<String> grants = sourceRows.ownersAndGrants(SCHEMAS);

        // ---- the procedure ---------------------------------------------------------------------------------
        Path dump = WORK.resolve("duban.dump");
        Files.deleteIfExists(dump);
        script("backup", "--db", source.name(), "--file", dump.toString());
        assertTrue(Files.size(dump) > 0, "the backup was written");
        script("restore", "--db", target.name(), "--file", dump.toString(), "--create");
        String again = scriptFails("restore", "--db", target.name(), "--file", dump.toString());
        assertTrue(again.contains("not empty"), "a restore into a database with data is refused: " + again);

        // ---- the same rows, owners and grants ---------------------------------------------------------------
        Rows targetRows = new Rows(target::admin);
        Map<String, List<String>> restored = targetRows.tables(SCHEMAS);
        assertEquals(rows.keySet(), restored.keySet(), "the same tables");
        for (String table : rows.keySet()) {
            assertEquals(rows.get(table), restored.get(table), "every row of " + table);
        }
        assertEquals(grants, targetRows.ownersAndGrants(SCHEMAS), "the same owners, grants and default privileges");
        try (Connection runtime = target.as("duban_task"); Statement s = runtime.createStatement()) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE task.timeline_entry SET note = note"));
            assertEquals("42501", refused.getSQLState(), "the timeline stays append-only for the runtime role");
        }

        // ---- the suite on the restored database ---------------------------------------------------------------
        Map<String, List<String>> histories = new LinkedHashMap<>();
        HISTORIES.forEach(h -> histories.put(h, rows.get(h)));
        Services after = start(target, false);
        for (String h : HISTORIES) {
            assertEquals(histories.get(h), targetRows.list("SELECT to_jsonb(t)::text FROM " + h + " t ORDER BY 1"),
                    "Flyway found its history and migrated nothing: " + h);
        }
        Map<String, JsonNode> read = views(after, items, units, bulletin);
        assertEquals(seen.keySet(), read.keySet());
        for (String what : seen.keySet()) {
            assertEquals(seen.get(what), read.get(what), what + " reads as before");
        }
        for (String item : items) {
            assertTrue(read.get("verify " + item).path("intact").asBoolean(), "the chain is intact after: " + item);
        }
        // And it goes on working: a new action appends to a restored chain, which stays intact.
        after.task.post(DevTokens.supervisor(), "/api/v1/tasks/" + items.get(0) + "/urge",
                Map.of("unitCode", units.get(0), "message", "恢复后再次催办。"), 200);
        assertTrue(after.task.get(DevTokens.supervisor(), "/api/v1/tasks/" + items.get(0) + "/timeline/verify")
                .path("intact").asBoolean(), "the chain grows on intact");
    }

    // ---- what is compared through the APIs --------------------------------------------------------------------

    private static Map<String, JsonNode> views(Services s, List<String> items, List<String> units, String bulletin) {
        Map<String, JsonNode> v = new LinkedHashMap<>();
        for (String item : items) {
            v.put("item " + item, s.task.get(DevTokens.supervisor(), "/api/v1/tasks/" + item));
            v.put("timeline " + item, s.task.get(DevTokens.supervisor(), "/api/v1/tasks/" + item + "/timeline"));
            v.put("verify " + item, s.task.get(DevTokens.supervisor(), "/api/v1/tasks/" + item + "/timeline/verify"));
        }
        for (String unit : units) {
            // The change token carries the time it was issued (and the snapshot's horizon): new at every read.
            ObjectNode notices = (ObjectNode) s.notification.get(DevTokens.handler(unit), "/api/v1/me/notifications");
            assertTrue(notices.remove("changeToken") != null, "a change token comes with the notices");
            v.put("notices " + unit, notices);
        }
        v.put("bulletin", s.report.get(DevTokens.supervisor(), "/api/v1/bulletins/" + bulletin));
        v.put("bulletins", s.report.get(DevTokens.supervisor(), "/api/v1/bulletins"));
        return v;
    }

    /** Dispatched, accepted by both units, progress reported, urged; the third is also submitted. */
    private static String workedItem(Api task, List<String> units, int n) {
        Map<String, Object> item = Pipeline.item("关于第" + (n + 1) + "批老旧小区改造的批示", units,
                LocalDate.now().plusDays(20 + n));
        String id = Pipeline.jsonId(task.post(DevTokens.supervisor(), "/api/v1/tasks", item, 201));
        String base = "/api/v1/tasks/" + id;
        task.post(DevTokens.supervisor(), base + "/dispatch", null, 200);
        for (String unit : units.subList(0, 2)) {
            task.post(DevTokens.handler(unit), base + "/assignments/" + unit + "/accept", null, 200);
        }
        task.post(DevTokens.handler(units.get(0)), base + "/assignments/" + units.get(0) + "/progress",
                Map.of("content", "已完成摸底调查。", "percent", 30 + n * 20, "nextSteps", "制定改造方案。"), 200);
        task.post(DevTokens.supervisor(), base + "/urge", Map.of("unitCode", units.get(2), "message", "请尽快签收。"), 200);
        if (n == 2) {
            task.post(DevTokens.handler(units.get(1)), base + "/assignments/" + units.get(1) + "/submit",
                    Map.of("summary", "协办任务已完成。"), 200);
        }
        return id;
    }

    // ---- the services, the databases and the script ------------------------------------------------------------

    private record Services(Api task, Api notification, Api report, List<ServiceProcess> processes) {

        void stop() {
            processes.forEach(ServiceProcess::stop);
        }
    }

    /**
     * The three services on one database: task-service first (its migrations make the reporting views
     * report-service reads), then the other two side by side.
     */
    private Services start(TestDatabase db, boolean clean) {
        Path logs = WORK.resolve(db.name());
        ServiceProcess notification = ServiceProcess.prepare(ROOT, "notification-service", db.jdbcUrl("notification"),
                Map.of(), logs);
        ServiceProcess task = ServiceProcess.prepare(ROOT, "task-service", db.jdbcUrl("task"),
                Pipeline.relayTo(ROOT, notification), logs);
        ServiceProcess report = ServiceProcess.prepare(ROOT, "report-service", db.jdbcUrl("report"),
                Map.of(), logs);
        List<ServiceProcess> all = List.of(task, notification, report);
        running.addAll(all);
        task.start(clean);
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> notification.start(clean)),
                CompletableFuture.runAsync(() -> report.start(clean))).join();
        return new Services(Api.of(task), Api.of(notification), Api.of(report), all);
    }

    /** A database name of this test's own (the run's prefix), dropped if an earlier run left it. */
    private static TestDatabase fresh(String name) throws SQLException {
        TestDatabase db = TestDatabase.forModule(name);
        try (Connection c = TestDatabase.server().admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + db.name() + "\" WITH (FORCE)");
        }
        return db;
    }

    private static String script(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit, "ops/backup-restore.sh " + String.join(" ", args) + ":\n" + r.output);
        return r.output;
    }

    private static String scriptFails(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertTrue(r.exit != 0, "ops/backup-restore.sh " + String.join(" ", args) + " should fail:\n" + r.output);
        return r.output;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("ops/backup-restore.sh").toString()));
        command.addAll(List.of(args));
        Path out = WORK.resolve("script-" + args[0] + ".out");
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        PostgresServer server = TestDatabase.server();
        b.environment().put("PGHOST", server.host());
        b.environment().put("PGPORT", String.valueOf(server.port()));
        b.environment().put("PGUSER", server.admin());
        Process p = b.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ops/backup-restore.sh " + args[0] + " did not end");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
