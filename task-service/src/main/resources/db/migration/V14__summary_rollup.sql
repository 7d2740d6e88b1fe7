-- The summary's and the warning board's counts, kept up to date by task-service's own writes (trigger-maintained
-- pre-aggregation), so that report-service's summary of a year at 1,000,000 items reads a few
-- tens of thousands of cells instead of a million assignments (bench/report/README.md).
--
-- What is stored: for every item, its contribution to the summary "as the item stands now" (the
-- counting rules of report-service's Figures.held with the as-of time at infinity), one row per
-- (kind, unit, day, deadline) in report_part; report_cell holds the sums of those rows, by day (grain
-- 'D') and by month (grain 'M', day = the month's first: a year's summary reads 12 of them per unit
-- and kind instead of 365, and days only at a period's ragged ends). Kind 'H':
-- the assignments of items dispatched on `day` (the item's office date of dispatch); `deadline` is
-- the assignment's deadline while it is open, 'infinity' otherwise (the overdue count and its
-- working days depend on the as-of date, so report-service compares the deadline at read time).
-- Kind 'E': the events the summary counts by their own date (extension requests, urges, declines).
--
-- How it stays correct as items change: statement-level triggers on every table the rules read
-- (supervision_item, assignment, extension_request, progress_report, timeline_entry) note each item
-- the statement touched in report_dirty, one row per item and transaction; when the transaction
-- commits, a deferred constraint trigger on report_dirty recomputes the contribution of those items
-- once, from the reporting views themselves (one definition), subtracts each item's previous
-- contribution (report_part) and adds the new one. A command runs several statements on one item
-- (an assignment, a progress report, the item's version): recounting after each cost 19-33 ms a
-- statement, the recount at commit costs it once (bench/report/README.md, "Write cost").
-- Concurrency: the recount first locks the items' rows (FOR NO KEY UPDATE, in id order) and holds
-- the lock to commit, so the recounts of one item run one after the other, each after the previous
-- writer committed, and (READ COMMITTED: each statement of the recount takes a new snapshot) each
-- sees every committed row of the item as well as its own transaction's: the last to commit counts
-- last, from everything. task-service's commands lock the item (PESSIMISTIC_WRITE) before changing
-- it anyway, so for them the lock is already held; it also covers a writer that does not (an insert
-- into a child table only takes FOR KEY SHARE on the item, which does not serialise two writers).
-- The rollup assumes READ COMMITTED writers, PostgreSQL's and task-service's default: under
-- REPEATABLE READ a recount would see its transaction's first snapshot.
-- Crash safety: a transaction inserts its report_dirty rows and deletes them again before it
-- commits, in the same transaction as the writes and the cells' update; a crash before the commit
-- undoes all three. The table is therefore empty whenever no transaction is in flight, and it is
-- UNLOGGED (no WAL for rows that never outlive their transaction): emptied by crash recovery, which
-- is its correct state; a standby never writes it.
-- A calendar import (working_day_source) or a change of the office zone (office_setting) rebuilds
-- everything (handling days are working-day differences; days are office dates).
-- Writes made with session_replication_role = replica skip these triggers (the data generator):
-- such a writer calls task.report_rollup_rebuild() itself, as bench/datagen/generate.sql does.
-- TRUNCATE of supervision_item empties the rollup, also under replica (ENABLE ALWAYS).
--
-- Past as-of times: every cell keeps max_event_at, the latest timestamp of anything that decides
-- its items' figures (dispatches, reassignment, decline, approved extension, completion,
-- cancellation, urge). The cells are the figures at any as-of time at or after that; report-service
-- uses them only then, and otherwise counts from the views as before.

CREATE TABLE task.report_part (
    item_id          uuid        NOT NULL,
    kind             char(1)     NOT NULL CHECK (kind IN ('H', 'E')),
    unit_code        varchar(32),
    day              date        NOT NULL,
    deadline         date        NOT NULL,
    held             int         NOT NULL,
    received         int         NOT NULL,
    completed        int         NOT NULL,
    on_time          int         NOT NULL,
    cancelled        int         NOT NULL,
    handling_days    bigint      NOT NULL,
    open_lead        int         NOT NULL,
    assist_received  int         NOT NULL,
    assist_completed int         NOT NULL,
    open_assist      int         NOT NULL,
    ext_asked        int         NOT NULL,
    ext_approved     int         NOT NULL,
    urges            int         NOT NULL,
    declines         int         NOT NULL,
    max_event_at     timestamptz
);
CREATE INDEX report_part_item_idx ON task.report_part (item_id);

CREATE TABLE task.report_cell (
    grain            char(1)     NOT NULL CHECK (grain IN ('D', 'M')),
    kind             char(1)     NOT NULL,
    unit_code        varchar(32),
    day              date        NOT NULL,
    deadline         date        NOT NULL,
    held             bigint      NOT NULL,
    received         bigint      NOT NULL,
    completed        bigint      NOT NULL,
    on_time          bigint      NOT NULL,
    cancelled        bigint      NOT NULL,
    handling_days    bigint      NOT NULL,
    open_lead        bigint      NOT NULL,
    assist_received  bigint      NOT NULL,
    assist_completed bigint      NOT NULL,
    open_assist      bigint      NOT NULL,
    ext_asked        bigint      NOT NULL,
    ext_approved     bigint      NOT NULL,
    urges            bigint      NOT NULL,
    declines         bigint      NOT NULL,
    max_event_at     timestamptz,
    CONSTRAINT report_cell_key UNIQUE NULLS NOT DISTINCT (grain, kind, unit_code, day, deadline)
) WITH (fillfactor = 70);  -- room for the updates in place (HOT): a period's cells stay on few pages
CREATE INDEX report_cell_day_idx ON task.report_cell (grain, day);

-- Each item's contribution now, straight from the reporting views (report-service's rules with the
-- as-of time at infinity). Read with a condition on item_id, which the planner pushes down.
CREATE VIEW task.report_part_source AS
WITH held AS (
  SELECT a.item_id, a.unit_code, i.dispatched_on AS day, a.role, a.deadline,
         a.reassigned_at IS NULL AND NOT a.declined AS held,
         i.cancelled_at IS NULL AS received,
         i.cancelled_at IS NULL AND i.completed_at IS NOT NULL AS completed,
         i.completed_on <= a.deadline AS on_time_if_completed,
         -- (scalar lookups: one index probe each, whatever the planner knows of the tables)
         (SELECT wc.working_index FROM task.working_day wc WHERE wc.day = i.completed_on)
           - (SELECT ws.working_index FROM task.working_day ws WHERE ws.day = i.dispatched_on) AS handling_days,
         greatest(i.dispatched_at, i.completed_at, i.cancelled_at, a.dispatched_at, a.reassigned_at, a.declined_at,
                  (SELECT max(e.decided_at) FROM task.extension_request e
                    WHERE e.item_id = a.item_id AND e.status = 'APPROVED')) AS event_at
    FROM reporting.items i
    JOIN reporting.assignments a ON a.item_id = i.item_id
   WHERE i.dispatched_at IS NOT NULL)
SELECT h.item_id, 'H'::char(1) AS kind, h.unit_code, h.day,
       CASE WHEN h.held AND h.received AND NOT h.completed THEN h.deadline ELSE 'infinity'::date END AS deadline,
       count(*) FILTER (WHERE h.held)::int AS held,
       count(*) FILTER (WHERE h.held AND h.role = 'LEAD' AND h.received)::int AS received,
       count(*) FILTER (WHERE h.held AND h.role = 'LEAD' AND h.completed)::int AS completed,
       count(*) FILTER (WHERE h.held AND h.role = 'LEAD' AND h.completed AND h.on_time_if_completed)::int AS on_time,
       count(*) FILTER (WHERE h.held AND h.role = 'LEAD' AND NOT h.received)::int AS cancelled,
       coalesce(sum(h.handling_days) FILTER (WHERE h.held AND h.role = 'LEAD' AND h.completed), 0)::bigint AS handling_days,
       count(*) FILTER (WHERE h.held AND h.role = 'LEAD' AND h.received AND NOT h.completed)::int AS open_lead,
       count(*) FILTER (WHERE h.held AND h.role = 'ASSIST' AND h.received)::int AS assist_received,
       count(*) FILTER (WHERE h.held AND h.role = 'ASSIST' AND h.completed)::int AS assist_completed,
       count(*) FILTER (WHERE h.held AND h.role = 'ASSIST' AND h.received AND NOT h.completed)::int AS open_assist,
       0 AS ext_asked, 0 AS ext_approved, 0 AS urges, 0 AS declines,
       max(h.event_at) AS max_event_at
  FROM held h
 GROUP BY h.item_id, h.unit_code, h.day, 5
UNION ALL
SELECT ev.item_id, 'E'::char(1), ev.unit_code, ev.day, 'infinity'::date,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       sum(ev.ext_asked)::int, sum(ev.ext_approved)::int, sum(ev.urges)::int, sum(ev.declines)::int, max(ev.event_at)
  FROM (SELECT e.item_id, e.unit_code, e.requested_on AS day, 1 AS ext_asked,
               (e.status = 'APPROVED' AND e.decided_at IS NOT NULL)::int AS ext_approved, 0 AS urges, 0 AS declines,
               greatest(e.requested_at, CASE WHEN e.status = 'APPROVED' THEN e.decided_at END) AS event_at
          FROM reporting.extension_requests e
        UNION ALL
        SELECT g.item_id, g.unit_code, g.urged_on, 0, 0, 1, 0, g.urged_at
          FROM reporting.urges g
        UNION ALL
        SELECT a.item_id, a.unit_code, a.declined_on, 0, 0, 0, 1, a.declined_at
          FROM reporting.assignments a
         WHERE a.declined AND a.declined_at IS NOT NULL) ev
 GROUP BY ev.item_id, ev.unit_code, ev.day;

-- The warning board's open assignments (items in handling), counted by what their light depends
-- on besides today: status, deadline, and for one in progress with a feedback cycle, the cycle and
-- the office date of its last report (or dispatch). A submitted one is green whatever its deadline.
CREATE TABLE task.board_part (
    item_id        uuid        NOT NULL,
    unit_code      varchar(32) NOT NULL,
    status         varchar(24) NOT NULL,
    deadline       date,
    feedback_cycle varchar(16),
    report_on      date,
    n              int         NOT NULL
);
CREATE INDEX board_part_item_idx ON task.board_part (item_id);
CREATE TABLE task.board_cell (
    unit_code      varchar(32) NOT NULL,
    status         varchar(24) NOT NULL,
    deadline       date,
    feedback_cycle varchar(16),
    report_on      date,
    n              bigint      NOT NULL,
    CONSTRAINT board_cell_key UNIQUE NULLS NOT DISTINCT (unit_code, status, deadline, feedback_cycle, report_on)
);
CREATE INDEX board_cell_zero_idx ON task.board_cell (unit_code) WHERE n = 0;

CREATE VIEW task.board_part_source AS
SELECT a.item_id, a.unit_code, a.status,
       CASE WHEN a.status <> 'SUBMITTED' THEN a.deadline END AS deadline,
       CASE WHEN a.status = 'IN_PROGRESS' AND i.feedback_cycle <> 'NONE' THEN i.feedback_cycle END AS feedback_cycle,
       CASE WHEN a.status = 'IN_PROGRESS' AND i.feedback_cycle <> 'NONE'
            THEN (coalesce(a.last_progress_at, a.dispatched_at) AT TIME ZONE o.zone)::date END AS report_on,
       count(*)::int AS n
  FROM reporting.items i
  JOIN reporting.assignments a ON a.item_id = i.item_id
 CROSS JOIN task.office_setting o
 WHERE i.status IN ('ACTIVE', 'PENDING_REVIEW')
   AND a.status IN ('PENDING_ACCEPTANCE', 'DECLINED', 'IN_PROGRESS', 'SUBMITTED')
 GROUP BY 1, 2, 3, 4, 5, 6;

-- Replace the items' contributions by what they are now.
-- (PL/pgSQL, whose statements keep their plans across calls: a SQL function would plan them at every write.
-- jit = off on every function here: on a database without statistics the views' estimates are large
-- enough for JIT, which then compiled for seconds to read one item's few rows. plan_cache_mode =
-- force_generic_plan: with the default, PL/pgSQL planned the views anew for every call (a custom
-- plan for the items at hand), 5-6 ms of a recount's 6-7; the generic plan reads the same indexes
-- by item_id for any items, and a recount takes 1.2 ms (10,000 items, bench/report/README.md).)
CREATE FUNCTION task.report_rollup_refresh(items uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
-- One recount of an item at a time, each after the previous writer's commit (see the top): an item
-- deleted in this transaction has no row left to lock, and none to count either.
PERFORM 1 FROM task.supervision_item i WHERE i.id = ANY (items) ORDER BY i.id FOR NO KEY UPDATE;

WITH old AS (
  DELETE FROM task.board_part p WHERE p.item_id = ANY (items) RETURNING p.*),
new AS (
  INSERT INTO task.board_part SELECT * FROM task.board_part_source s WHERE s.item_id = ANY (items) RETURNING *),
delta AS (
  SELECT d.unit_code, d.status, d.deadline, d.feedback_cycle, d.report_on, sum(d.n) AS n
    FROM (SELECT o.unit_code, o.status, o.deadline, o.feedback_cycle, o.report_on, -o.n AS n FROM old o
          UNION ALL
          SELECT n.unit_code, n.status, n.deadline, n.feedback_cycle, n.report_on, n.n FROM new n) d
   GROUP BY 1, 2, 3, 4, 5)
INSERT INTO task.board_cell AS c
SELECT * FROM delta ORDER BY unit_code, status, deadline, feedback_cycle, report_on
    ON CONFLICT (unit_code, status, deadline, feedback_cycle, report_on) DO UPDATE SET n = c.n + excluded.n;

-- Cells left at zero go (a progress report moves an assignment to another cell every time), but never
-- one that a concurrent writer holds: that one goes later.
DELETE FROM task.board_cell c
 WHERE c.ctid IN (SELECT z.ctid FROM task.board_cell z
                   WHERE z.n = 0 AND z.unit_code IN (SELECT a.unit_code FROM task.assignment a WHERE a.item_id = ANY (items))
                     FOR UPDATE SKIP LOCKED);

WITH old AS (
  DELETE FROM task.report_part p WHERE p.item_id = ANY (items) RETURNING p.*),
new AS (
  INSERT INTO task.report_part SELECT * FROM task.report_part_source s WHERE s.item_id = ANY (items) RETURNING *),
delta AS (
  SELECT g.grain, d.kind, d.unit_code, g.day, d.deadline, sum(d.held) AS held, sum(d.received) AS received,
         sum(d.completed) AS completed, sum(d.on_time) AS on_time, sum(d.cancelled) AS cancelled,
         sum(d.handling_days) AS handling_days, sum(d.open_lead) AS open_lead, sum(d.assist_received) AS assist_received,
         sum(d.assist_completed) AS assist_completed, sum(d.open_assist) AS open_assist, sum(d.ext_asked) AS ext_asked,
         sum(d.ext_approved) AS ext_approved, sum(d.urges) AS urges, sum(d.declines) AS declines,
         max(d.max_event_at) AS max_event_at
    FROM (SELECT o.kind, o.unit_code, o.day, o.deadline, -o.held AS held, -o.received AS received, -o.completed AS completed,
                 -o.on_time AS on_time, -o.cancelled AS cancelled, -o.handling_days AS handling_days, -o.open_lead AS open_lead,
                 -o.assist_received AS assist_received, -o.assist_completed AS assist_completed, -o.open_assist AS open_assist,
                 -o.ext_asked AS ext_asked, -o.ext_approved AS ext_approved, -o.urges AS urges, -o.declines AS declines,
                 o.max_event_at
            FROM old o
          UNION ALL
          SELECT n.kind, n.unit_code, n.day, n.deadline, n.held, n.received, n.completed, n.on_time, n.cancelled,
                 n.handling_days, n.open_lead, n.assist_received, n.assist_completed, n.open_assist, n.ext_asked,
                 n.ext_approved, n.urges, n.declines, n.max_event_at
            FROM new n) d
   CROSS JOIN LATERAL (VALUES ('D', d.day), ('M', date_trunc('month', d.day)::date)) g (grain, day)
   GROUP BY g.grain, d.kind, d.unit_code, g.day, d.deadline)
INSERT INTO task.report_cell AS c
SELECT * FROM delta ORDER BY grain, kind, unit_code, day, deadline  -- one lock order for concurrent writers
    ON CONFLICT (grain, kind, unit_code, day, deadline) DO UPDATE
   SET held = c.held + excluded.held, received = c.received + excluded.received,
       completed = c.completed + excluded.completed, on_time = c.on_time + excluded.on_time,
       cancelled = c.cancelled + excluded.cancelled, handling_days = c.handling_days + excluded.handling_days,
       open_lead = c.open_lead + excluded.open_lead, assist_received = c.assist_received + excluded.assist_received,
       assist_completed = c.assist_completed + excluded.assist_completed, open_assist = c.open_assist + excluded.open_assist,
       ext_asked = c.ext_asked + excluded.ext_asked, ext_approved = c.ext_approved + excluded.ext_approved,
       urges = c.urges + excluded.urges, declines = c.declines + excluded.declines,
       max_event_at = greatest(c.max_event_at, excluded.max_event_at);
END
$$;

-- Everything from scratch (after a calendar import, a change of zone, or writes without triggers).
CREATE FUNCTION task.report_rollup_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
BEGIN
    PERFORM set_config('work_mem', '256MB', true);  -- the sorts of every item's groups, for this transaction
    DELETE FROM task.board_part;
    DELETE FROM task.board_cell;
    INSERT INTO task.board_part SELECT * FROM task.board_part_source;
    INSERT INTO task.board_cell
    SELECT unit_code, status, deadline, feedback_cycle, report_on, sum(n)
      FROM task.board_part
     GROUP BY unit_code, status, deadline, feedback_cycle, report_on;
    DELETE FROM task.report_part;
    DELETE FROM task.report_cell;
    INSERT INTO task.report_part SELECT * FROM task.report_part_source;
    INSERT INTO task.report_cell
    SELECT g.grain, p.kind, p.unit_code, g.day, p.deadline, sum(p.held), sum(p.received), sum(p.completed), sum(p.on_time),
           sum(p.cancelled), sum(p.handling_days), sum(p.open_lead), sum(p.assist_received), sum(p.assist_completed),
           sum(p.open_assist), sum(p.ext_asked), sum(p.ext_approved), sum(p.urges), sum(p.declines), max(p.max_event_at)
      FROM task.report_part p
     CROSS JOIN LATERAL (VALUES ('D', p.day), ('M', date_trunc('month', p.day)::date)) g (grain, day)
     GROUP BY g.grain, p.kind, p.unit_code, g.day, p.deadline
     ORDER BY g.grain, g.day;  -- a period's cells together on disk
END
$$;
REVOKE ALL ON FUNCTION task.report_rollup_refresh(uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION task.report_rollup_rebuild() FROM PUBLIC;

-- The items this transaction touched, recounted when it commits (see the top). The key's transaction
-- id (txid_current(): the top-level transaction's, also in a subtransaction) keeps concurrent
-- transactions on one item from waiting on each other's inserts.
CREATE UNLOGGED TABLE task.report_dirty (
    tx      bigint NOT NULL DEFAULT txid_current(),
    item_id uuid   NOT NULL,
    PRIMARY KEY (tx, item_id)
);
-- Only the owner's functions write the rollup (SECURITY DEFINER): the runtime role's default
-- privileges on schema task taken back, so no SQL of the service can drop a pending recount or set
-- a cell (db/init-roles.sql takes them back again after its GRANT ON ALL TABLES).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON task.report_dirty, task.report_part, task.report_cell, task.board_part, task.board_cell FROM ${runtime_role};

-- At commit (deferred), once per item noted: the first firing in a transaction takes every item
-- it noted and recounts them in one call; the later firings find nothing left.
CREATE FUNCTION task.report_rollup_flush() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
DECLARE
    items uuid[];
BEGIN
    WITH taken AS (DELETE FROM task.report_dirty d WHERE d.tx = txid_current() RETURNING d.item_id)
    SELECT array_agg(t.item_id) INTO items FROM taken t;
    IF items IS NOT NULL THEN
        PERFORM task.report_rollup_refresh(items);
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER report_rollup_flush AFTER INSERT ON task.report_dirty
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION task.report_rollup_flush();
-- Also under session_replication_role = replica, should a transaction switch to it after noting items.
ALTER TABLE task.report_dirty ENABLE ALWAYS TRIGGER report_rollup_flush;

-- The triggers: which items a statement touched, in a way the summary can see.
CREATE FUNCTION task.report_rollup_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
DECLARE
    items uuid[];
BEGIN
    IF TG_TABLE_NAME = 'supervision_item' THEN
        IF TG_OP = 'UPDATE' THEN
            SELECT array_agg(n.id) INTO items FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.dispatched_at, n.completed_at, n.cancelled_at, n.status, n.feedback_cycle)
                   IS DISTINCT FROM (o.dispatched_at, o.completed_at, o.cancelled_at, o.status, o.feedback_cycle);
        ELSIF TG_OP = 'INSERT' THEN
            SELECT array_agg(n.id) INTO items FROM new_rows n WHERE n.dispatched_at IS NOT NULL;
        ELSE
            SELECT array_agg(o.id) INTO items FROM old_rows o;
        END IF;
    ELSIF TG_TABLE_NAME = 'assignment' THEN
        IF TG_OP = 'UPDATE' THEN
            SELECT array_agg(DISTINCT n.item_id) INTO items FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.item_id, n.unit_code, n.role, n.status, n.deadline, n.dispatched_at, n.decline_reason, n.reassigned_to,
                    n.reassigned_from, n.created_at)
                   IS DISTINCT FROM (o.item_id, o.unit_code, o.role, o.status, o.deadline, o.dispatched_at, o.decline_reason,
                    o.reassigned_to, o.reassigned_from, o.created_at);
            -- An assignment moved to another item (never done, but then both items change).
            items := items || ARRAY(SELECT o.item_id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.item_id <> o.item_id);
        ELSIF TG_OP = 'INSERT' THEN
            SELECT array_agg(DISTINCT n.item_id) INTO items FROM new_rows n;
        ELSE
            SELECT array_agg(DISTINCT o.item_id) INTO items FROM old_rows o;
        END IF;
    ELSIF TG_TABLE_NAME = 'progress_report' THEN
        SELECT array_agg(DISTINCT n.item_id) INTO items FROM new_rows n;
    ELSIF TG_TABLE_NAME = 'timeline_entry' THEN
        SELECT array_agg(DISTINCT n.item_id) INTO items FROM new_rows n WHERE n.action IN ('URGE', 'DECLINE');
    ELSIF TG_TABLE_NAME = 'extension_request' THEN
        IF TG_OP = 'DELETE' THEN
            SELECT array_agg(DISTINCT o.item_id) INTO items FROM old_rows o;
        ELSIF TG_OP = 'UPDATE' THEN
            SELECT array_agg(DISTINCT x.item_id) INTO items
              FROM (SELECT n.item_id FROM new_rows n UNION SELECT o.item_id FROM old_rows o) x;
        ELSE
            SELECT array_agg(DISTINCT n.item_id) INTO items FROM new_rows n;
        END IF;
    END IF;
    IF items IS NOT NULL AND cardinality(items) > 0 THEN
        INSERT INTO task.report_dirty (item_id) SELECT DISTINCT u.id FROM unnest(items) u (id) WHERE u.id IS NOT NULL
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_rollup_ins AFTER INSERT ON task.supervision_item
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_upd AFTER UPDATE ON task.supervision_item
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_del AFTER DELETE ON task.supervision_item
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_ins AFTER INSERT ON task.assignment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_upd AFTER UPDATE ON task.assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_del AFTER DELETE ON task.assignment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_ins AFTER INSERT ON task.extension_request
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_upd AFTER UPDATE ON task.extension_request
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_del AFTER DELETE ON task.extension_request
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_ins AFTER INSERT ON task.progress_report
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();
CREATE TRIGGER report_rollup_ins AFTER INSERT ON task.timeline_entry
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_changed();

CREATE FUNCTION task.report_rollup_emptied() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
BEGIN
    TRUNCATE task.report_part, task.report_cell, task.board_part, task.board_cell;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_rollup_truncated AFTER TRUNCATE ON task.supervision_item
    FOR EACH STATEMENT EXECUTE FUNCTION task.report_rollup_emptied();
ALTER TABLE task.supervision_item ENABLE ALWAYS TRIGGER report_rollup_truncated;

CREATE FUNCTION task.report_rollup_recount() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
BEGIN
    PERFORM task.report_rollup_rebuild();
    RETURN NULL;
END
$$;
-- The calendar was recomputed (refresh_working_day() writes the new fingerprint).
CREATE TRIGGER report_rollup_calendar AFTER UPDATE OF fingerprint ON task.working_day_source
    FOR EACH ROW WHEN (OLD.fingerprint IS DISTINCT FROM NEW.fingerprint) EXECUTE FUNCTION task.report_rollup_recount();
CREATE TRIGGER report_rollup_zone AFTER UPDATE OF zone ON task.office_setting
    FOR EACH ROW WHEN (OLD.zone IS DISTINCT FROM NEW.zone) EXECUTE FUNCTION task.report_rollup_recount();

-- The items dispatched in a period, by timestamp (the summary's and lists' period; read the whole
-- table before).
CREATE INDEX item_dispatched_idx ON task.supervision_item (dispatched_at) WHERE dispatched_at IS NOT NULL;
-- The items open at a time (completed_at IS NULL OR completed_at > the time): the overdue and open
-- lists without a period read these rather than every item.
CREATE INDEX item_completed_idx ON task.supervision_item (completed_at);

SELECT task.report_rollup_rebuild();

-- For report-service: the cells (reporting contract: a new view; columns documented in task-service/README.md).
CREATE VIEW reporting.summary_cells AS
SELECT c.grain, c.kind, c.unit_code, c.day, c.deadline, c.held, c.received, c.completed, c.on_time, c.cancelled,
       c.handling_days, c.open_lead, c.assist_received, c.assist_completed, c.open_assist,
       c.ext_asked, c.ext_approved, c.urges, c.declines, c.max_event_at
  FROM task.report_cell c;
GRANT SELECT ON reporting.summary_cells TO duban_report;

-- The warning board's cells: open assignments of items in handling by status, deadline (null when
-- submitted), feedback cycle and office date of the last report or dispatch (both null unless in
-- progress with a feedback cycle other than NONE).
CREATE VIEW reporting.board_cells AS
SELECT c.unit_code, c.status, c.deadline, c.feedback_cycle, c.report_on, c.n
  FROM task.board_cell c;
GRANT SELECT ON reporting.board_cells TO duban_report;

-- When the working-day table last changed, so that report-service can keep the calendar it builds
-- from it (36,525 rows) until it changes, instead of reading it for every report.
CREATE OR REPLACE VIEW reporting.office AS
SELECT o.zone, o.yellow_working_days, o.updated_at, s.refreshed_at AS calendar_refreshed_at
  FROM task.office_setting o
 CROSS JOIN task.working_day_source s;
