-- The open assignments with what report-service's overdue lists show, one row each, kept by the V14
-- rollup at every write's commit (issue 11: the overdue CSV at disk speed).
--
-- Before, the overdue lists read every candidate item through the views and, per row, looked up the
-- unit's assignments, its last progress report and its urges (bench/report/README.md: 5.4 s warm
-- and 26 s cold for the 43,948 overdue rows at 1,000,000 items, nearly all of it in those probes).
-- Here the work moves to the write: when an item's recount runs at commit, its rows in
-- task.open_row are replaced by what task.open_row_source (the reporting views, one definition)
-- says now. A list that stands at its as-of time (report-service's Figures.standsAt) then reads the
-- rows in list order from one index, with no probe per row except in the two cases a row records
-- something later than the as-of time: a progress report or an urge after it (neither is an event
-- of the cells' max_event_at), where report-service looks that row's value up as before.
--
-- A row per assignment that its unit holds now (not reassigned away, not declined) on a dispatched
-- item neither completed nor cancelled: report_part_source's open 'H' rows, by assignment.

CREATE TABLE task.open_row (
    assignment_id         uuid         PRIMARY KEY,
    item_id               uuid         NOT NULL,
    unit_code             varchar(32)  NOT NULL,
    role                  varchar(8)   NOT NULL,
    status                varchar(24)  NOT NULL,
    deadline              date         NOT NULL,
    item_number           varchar(20)  NOT NULL,
    title                 varchar(200) NOT NULL,
    responsible_leader    varchar(50),
    source_type           varchar(32),
    priority              varchar(16),
    category              varchar(50),
    item_dispatched_at    timestamptz  NOT NULL,
    dispatched_on         date         NOT NULL,
    last_progress_at      timestamptz,
    last_progress_percent int,
    urges                 int          NOT NULL,
    last_urged_at         timestamptz
);
-- The lists' order (deadline, number, unit, assignment) by role, and the same within one unit (a
-- handler's lists, the supervisor's ?unit=).
CREATE INDEX open_row_list_idx ON task.open_row (role, deadline, item_number, unit_code, assignment_id);
CREATE INDEX open_row_unit_idx ON task.open_row (unit_code, role, deadline, item_number, assignment_id);
CREATE INDEX open_row_item_idx ON task.open_row (item_id);
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON task.open_row FROM ${runtime_role};

-- The rows now, straight from the reporting views; read with a condition on item_id.
CREATE VIEW task.open_row_source AS
SELECT a.assignment_id, a.item_id, a.unit_code, a.role, a.status, a.deadline,
       i.number AS item_number, i.title, i.responsible_leader, i.source_type, i.priority, i.category,
       i.dispatched_at AS item_dispatched_at, i.dispatched_on,
       a.last_progress_at, a.last_progress_percent,
       g.urges, g.last_urged_at
  FROM reporting.items i
  JOIN reporting.assignments a ON a.item_id = i.item_id
 CROSS JOIN LATERAL (SELECT count(*)::int AS urges, max(u.urged_at) AS last_urged_at
                       FROM reporting.urges u
                      WHERE u.item_id = a.item_id AND u.unit_code = a.unit_code
                        AND u.assignment_id = a.assignment_id) g
 WHERE i.dispatched_at IS NOT NULL AND i.cancelled_at IS NULL AND i.completed_at IS NULL
   AND a.reassigned_at IS NULL AND NOT a.declined;

-- V14's functions keep their bodies under new names; the names the triggers and the data generator
-- call now do both (the cells' refresh first: it takes the items' locks, held to commit).
ALTER FUNCTION task.report_rollup_refresh(uuid[]) RENAME TO report_rollup_refresh_cells;
ALTER FUNCTION task.report_rollup_rebuild() RENAME TO report_rollup_rebuild_cells;

CREATE FUNCTION task.report_rollup_refresh(items uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    PERFORM task.report_rollup_refresh_cells(items);
    DELETE FROM task.open_row r WHERE r.item_id = ANY (items);
    INSERT INTO task.open_row SELECT * FROM task.open_row_source s WHERE s.item_id = ANY (items);
END
$$;

CREATE FUNCTION task.report_rollup_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
BEGIN
    PERFORM task.report_rollup_rebuild_cells();
    DELETE FROM task.open_row;
    INSERT INTO task.open_row SELECT * FROM task.open_row_source ORDER BY role, deadline;
END
$$;
REVOKE ALL ON FUNCTION task.report_rollup_refresh(uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION task.report_rollup_rebuild() FROM PUBLIC;

-- What the rows show of the item but the cells do not read: a change of these notes the item too
-- (V14's trigger notes only changes that move a figure).
CREATE FUNCTION task.open_row_item_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
BEGIN
    INSERT INTO task.report_dirty (item_id)
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE n.dispatched_at IS NOT NULL
       AND (n.number, n.title, n.responsible_leader, n.source_type, n.priority, n.category)
           IS DISTINCT FROM (o.number, o.title, o.responsible_leader, o.source_type, o.priority, o.category)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER open_row_item_upd AFTER UPDATE ON task.supervision_item
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task.open_row_item_changed();

-- TRUNCATE of supervision_item empties the rows with the cells.
CREATE OR REPLACE FUNCTION task.report_rollup_emptied() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = task, pg_temp SET jit = off AS $$
BEGIN
    TRUNCATE task.report_part, task.report_cell, task.board_part, task.board_cell, task.open_row;
    RETURN NULL;
END
$$;

INSERT INTO task.open_row SELECT * FROM task.open_row_source ORDER BY role, deadline;

-- For report-service (reporting contract: a new view; columns documented in task-service/README.md).
CREATE VIEW reporting.open_assignments AS
SELECT r.assignment_id, r.item_id, r.unit_code, r.role, r.status, r.deadline, r.item_number, r.title,
       r.responsible_leader, r.source_type, r.priority, r.category, r.item_dispatched_at, r.dispatched_on,
       r.last_progress_at, r.last_progress_percent, r.urges, r.last_urged_at
  FROM task.open_row r;
GRANT SELECT ON reporting.open_assignments TO duban_report;

-- V15's open parts led the overdue lists to their candidate items; the lists now read the rows above
-- in their order, and nothing else reads the parts by deadline.
DROP VIEW reporting.open_parts;
DROP INDEX task.report_part_open_deadline_idx;
