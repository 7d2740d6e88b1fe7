package io.duban.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's own ceiling for a create: pgbench running, in one transaction, the statements that
 * task-service's {@code POST /tasks} with two assignments and an Idempotency-Key sends (read from
 * ItemService.create, IdempotencyStore.create and History.record; Hibernate inserts every column). The
 * triggers (unit_item, the change log, the timeline chain) fire as they do for the service. The rows it
 * adds are drafts numbered {@code PB-…}, created by {@code pgbench}.
 */
public final class PgBench {

    public record Result(double tps, double latencyMs, String command) {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The create's statements as a pgbench script (units are written in as literals). */
    static String createScript(String lead, String assist) {
        String body = "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"title\":\"压测立项 城东老旧小区改造专项工作\","
                + "\"status\":\"DRAFT\",\"leadUnit\":\"" + lead + "\",\"assistUnits\":[\"" + assist + "\"]}";
        String a = """
                \\set k random(1, 2000000000)
                BEGIN;
                SELECT pg_try_advisory_xact_lock(hashtext('pgbench'), hashtext(':client_id-:k'));
                SELECT target, request_hash, status, location, etag, body, created_at FROM idempotency_key WHERE caller = 'pgbench' AND key = ':client_id-:k';
                SELECT code, name, short_name, active FROM unit WHERE code = 'LEAD_UNIT';
                SELECT code, name, short_name, active FROM unit WHERE code = 'ASSIST_UNIT';
                INSERT INTO item_number_counter (year, last) VALUES (2099, 1) ON CONFLICT (year) DO UPDATE SET last = item_number_counter.last + 1 RETURNING last AS n
                \\gset
                INSERT INTO supervision_item (id, number, title, description, source_type, source_ref, priority, category, responsible_leader, deadline, original_deadline, feedback_cycle, status, lead_unit_code, rating, completed_on_time, created_by, created_at, updated_at, dispatched_at, completed_at, cancelled_at, version, deadline_working_days, deadline_calendar_complete, external_system, external_ref) VALUES (gen_random_uuid(), 'PB-' || :n, '压测立项 城东老旧小区改造专项工作', NULL, 'OTHER', NULL, 'NORMAL', NULL, NULL, current_date + 20, current_date + 20, 'WEEKLY', 'DRAFT', 'LEAD_UNIT', NULL, NULL, 'pgbench', now(), now(), NULL, NULL, NULL, 0, NULL, true, NULL, NULL) RETURNING id AS item
                \\gset
                INSERT INTO assignment (id, item_id, unit_code, role, status, deadline, original_deadline, progress_percent, last_progress_at, urge_count, decline_reason, reassigned_to, reassigned_from, accepted_at, submitted_at, completed_at, created_at, updated_at, dispatched_at) VALUES (gen_random_uuid(), ':item', 'LEAD_UNIT', 'LEAD', 'PLANNED', current_date + 20, current_date + 20, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, now(), now(), NULL);
                INSERT INTO assignment (id, item_id, unit_code, role, status, deadline, original_deadline, progress_percent, last_progress_at, urge_count, decline_reason, reassigned_to, reassigned_from, accepted_at, submitted_at, completed_at, created_at, updated_at, dispatched_at) VALUES (gen_random_uuid(), ':item', 'ASSIST_UNIT', 'ASSIST', 'PLANNED', current_date + 20, current_date + 20, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, now(), now(), NULL);
                INSERT INTO timeline_entry (item_id, occurred_at, actor, actor_role, action, unit_code, before, after, note, prev_hash, hash) VALUES (':item', now(), 'pgbench', 'supervisor', 'CREATE', NULL, NULL, 'BODY'::jsonb, NULL, NULL, '');
                INSERT INTO idempotency_key (caller, key, target, request_hash, status, location, etag, body, created_at) VALUES ('pgbench', ':client_id-:k', '/api/v1/tasks', md5(':k'), 201, '/api/v1/tasks/:item', '"1"', 'BODY', now());
                COMMIT;
                """;
        // Placeholders of their own: the roles 'LEAD' and 'ASSIST' stay as they are.
        return a.replace("'LEAD_UNIT'", "'" + lead + "'").replace("'ASSIST_UNIT'", "'" + assist + "'").replace("BODY", body);
    }

    /** Runs the script for {@code seconds} on {@code clients} connections; tps and mean latency. */
    static Result run(String host, int port, String user, String database, String script, int clients, int seconds, Path work)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path file = work.resolve("create.pgbench.sql");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-n", "-h", host, "-p", String.valueOf(port), "-U",
                user, "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)), "-T",
                String.valueOf(seconds), "-f", file.toString(), database));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("PGOPTIONS", "-c search_path=task");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        Matcher lat = Pattern.compile("latency average = ([0-9.]+) ms").matcher(out);
        Matcher failed = Pattern.compile("number of failed transactions: ([0-9]+)").matcher(out);
        if (p.exitValue() != 0 || !tps.find() || !lat.find() || failed.find() && !failed.group(1).equals("0")) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        return new Result(Double.parseDouble(tps.group(1)), Double.parseDouble(lat.group(1)),
                String.join(" ", cmd).replace(file.toString(), "create.pgbench.sql"));
    }
}
