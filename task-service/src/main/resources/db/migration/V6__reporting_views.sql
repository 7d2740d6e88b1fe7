-- The reporting contract, version 1: read-only views in schema `reporting` (created by
-- db/init-roles.sql, owned by duban_task) that report-service reads as duban_report, which may read
-- nothing else of task-service. The views run with their owner's rights, so duban_report needs no
-- grant on schema task; they call none of task-service's functions, which would run with the
-- reader's rights.
-- The contract only grows: a column or view may be added; a change of meaning makes a new view.
-- task-service/README.md, "Reporting views", documents every view and column.

-- Office settings the views and report-service compute with: the zone that turns timestamps into
-- office dates, and the yellow-warning threshold. One row, which task-service overwrites at every
-- start from its configuration (io.duban.task.reporting.OfficeSettings); the row inserted here
-- keeps the views whole before the first start.
CREATE TABLE task.office_setting (
    id                  boolean     PRIMARY KEY DEFAULT true CHECK (id),
    zone                varchar(64) NOT NULL,
    yellow_working_days int         NOT NULL CHECK (yellow_working_days >= 0),
    updated_at          timestamptz NOT NULL
);

CREATE FUNCTION task.office_setting_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'office_setting keeps its one row: update it instead';
    END IF;
    -- A tz database name only: PostgreSQL would also take a POSIX string such as '+08', and read
    -- its sign the other way round from Java.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = NEW.zone) THEN
        RAISE EXCEPTION 'office zone "%" is not a time zone name PostgreSQL knows', NEW.zone;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER office_setting_checked BEFORE INSERT OR UPDATE OR DELETE ON task.office_setting
    FOR EACH ROW EXECUTE FUNCTION task.office_setting_check();

INSERT INTO task.office_setting (zone, yellow_working_days, updated_at) VALUES ('Asia/Shanghai', 3, now());

-- The working-day calendar as one row per day, 2000-01-01..2099-12-31, by the rule of
-- io.duban.common.calendar.WorkingDayCalculator: Monday-Friday, except a calendar_day of an
-- imported year (holiday off, 调休 make-up day on). working_index counts the working days up to and
-- including the day, so working days between two dates are a subtraction and "N working days
-- after" is a lookup (README). Derived data: the days are inserted here, and only
-- refresh_working_day() changes them.
CREATE TABLE task.working_day (
    day            date    PRIMARY KEY,
    working        boolean NOT NULL,
    working_index  int     NOT NULL,
    calendar_known boolean NOT NULL
);
-- "The N-th working day after D": the working day whose index is D's plus N (unique by
-- construction; not declared unique because a refresh rewrites indexes row by row).
CREATE INDEX working_day_index_idx ON task.working_day (working_index) WHERE working;
INSERT INTO task.working_day (day, working, working_index, calendar_known)
SELECT d::date, false, 0, false FROM generate_series(timestamp '2000-01-01', timestamp '2099-12-31', interval '1 day') AS d;

-- What the table was last computed from, so that the many row triggers of one import refresh it once.
CREATE TABLE task.working_day_source (
    id           boolean     PRIMARY KEY DEFAULT true CHECK (id),
    fingerprint  text        NOT NULL,
    refreshed_at timestamptz
);
INSERT INTO task.working_day_source (fingerprint) VALUES ('');

CREATE FUNCTION task.refresh_working_day() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    computed_from text;
    calendar      text;
BEGIN
    -- One refresh at a time: a concurrent import waits here until the first commits, and (read
    -- committed) the statements below then see both calendars.
    SELECT fingerprint INTO computed_from FROM task.working_day_source FOR UPDATE;
    SELECT md5(coalesce((SELECT string_agg(year::text, ',' ORDER BY year) FROM task.calendar_year), '')
               || '|' || coalesce((SELECT string_agg(date::text || ':' || off_day::text, ',' ORDER BY date)
                                     FROM task.calendar_day), ''))
      INTO calendar;
    IF calendar = computed_from THEN
        RETURN;
    END IF;
    UPDATE task.working_day w
       SET working = c.working, working_index = c.working_index, calendar_known = c.calendar_known
      FROM (SELECT day, working, sum(working::int) OVER (ORDER BY day) AS working_index, calendar_known
              FROM (SELECT d.day,
                           coalesce(NOT cd.off_day, extract(isodow FROM d.day) < 6) AS working,
                           cy.year IS NOT NULL AS calendar_known
                      FROM task.working_day d
                      LEFT JOIN task.calendar_day cd ON cd.date = d.day
                      LEFT JOIN task.calendar_year cy ON cy.year = extract(year FROM d.day)::int) days) c
     WHERE w.day = c.day
       AND (w.working, w.working_index, w.calendar_known)
           IS DISTINCT FROM (c.working, c.working_index, c.calendar_known);
    UPDATE task.working_day_source SET fingerprint = calendar, refreshed_at = now();
END
$$;
REVOKE ALL ON FUNCTION task.refresh_working_day() FROM PUBLIC;

CREATE FUNCTION task.calendar_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM task.refresh_working_day();
    RETURN NULL;
END
$$;

-- Any change to the calendar, by the import API or by hand, refreshes working_day when its
-- transaction commits (deferred), after all of its rows have changed; a rollback leaves it alone.
CREATE CONSTRAINT TRIGGER calendar_year_changed AFTER INSERT OR UPDATE OR DELETE ON task.calendar_year
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION task.calendar_changed();
CREATE CONSTRAINT TRIGGER calendar_day_changed AFTER INSERT OR UPDATE OR DELETE ON task.calendar_day
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION task.calendar_changed();
CREATE TRIGGER calendar_year_truncated AFTER TRUNCATE ON task.calendar_year
    FOR EACH STATEMENT EXECUTE FUNCTION task.calendar_changed();
CREATE TRIGGER calendar_day_truncated AFTER TRUNCATE ON task.calendar_day
    FOR EACH STATEMENT EXECUTE FUNCTION task.calendar_changed();

SELECT task.refresh_working_day();

-- Indexes behind the views: an assignment's progress reports, and the timeline by action (urges).
CREATE INDEX progress_assignment_idx ON task.progress_report (assignment_id, reported_at);
CREATE INDEX timeline_action_idx ON task.timeline_entry (action, occurred_at);

-- The views. Every timestamp (_at) comes with its date in the office's zone (_on).

CREATE VIEW reporting.office AS
SELECT o.zone, o.yellow_working_days, o.updated_at
  FROM task.office_setting o;

CREATE VIEW reporting.working_day AS
SELECT w.day, w.working, w.working_index, w.calendar_known
  FROM task.working_day w;

CREATE VIEW reporting.units AS
SELECT u.code AS unit_code, u.name, u.short_name, u.parent_code AS parent_unit_code, u.active
  FROM task.unit u;

CREATE VIEW reporting.items AS
SELECT i.id AS item_id, i.number, i.title, i.source_type, i.source_ref, i.priority, i.category,
       i.responsible_leader, i.status, i.lead_unit_code,
       i.deadline, i.original_deadline, i.deadline_working_days, i.deadline_calendar_complete,
       i.feedback_cycle, i.rating, i.completed_on_time,
       i.external_system, i.external_ref,
       i.created_at, (i.created_at AT TIME ZONE o.zone)::date AS created_on,
       i.dispatched_at, (i.dispatched_at AT TIME ZONE o.zone)::date AS dispatched_on,
       i.completed_at, (i.completed_at AT TIME ZONE o.zone)::date AS completed_on,
       i.cancelled_at, (i.cancelled_at AT TIME ZONE o.zone)::date AS cancelled_on,
       i.updated_at
  FROM task.supervision_item i
 CROSS JOIN task.office_setting o;

-- Dispatched assignments only: a draft's planned ones have not reached a unit.
CREATE VIEW reporting.assignments AS
SELECT a.id AS assignment_id, a.item_id, i.number AS item_number, a.unit_code, a.role, a.status,
       a.status NOT IN ('REASSIGNED', 'CANCELLED') AS held,
       a.deadline, a.original_deadline,
       a.dispatched_at, (a.dispatched_at AT TIME ZONE o.zone)::date AS dispatched_on,
       a.accepted_at, (a.accepted_at AT TIME ZONE o.zone)::date AS accepted_on,
       a.submitted_at, (a.submitted_at AT TIME ZONE o.zone)::date AS submitted_on,
       a.completed_at, (a.completed_at AT TIME ZONE o.zone)::date AS completed_on,
       a.urge_count,
       a.decline_reason IS NOT NULL AS declined,
       d.declined_at, (d.declined_at AT TIME ZONE o.zone)::date AS declined_on,
       a.decline_reason,
       a.reassigned_from, a.reassigned_to,
       s.dispatched_at AS reassigned_at, (s.dispatched_at AT TIME ZONE o.zone)::date AS reassigned_on,
       a.progress_percent,
       coalesce(p.reports, 0) AS progress_reports,
       p.report_id AS last_progress_report_id, p.percent AS last_progress_percent,
       p.reported_at AS last_progress_at, (p.reported_at AT TIME ZONE o.zone)::date AS last_progress_on
  FROM task.assignment a
  JOIN task.supervision_item i ON i.id = a.item_id
 CROSS JOIN task.office_setting o
  -- The assignment that took this one over (转办): the unit's first on the item after this one.
  LEFT JOIN LATERAL (SELECT b.dispatched_at
                       FROM task.assignment b
                      WHERE b.item_id = a.item_id AND b.unit_code = a.reassigned_to
                        AND b.reassigned_from = a.unit_code AND b.created_at >= a.created_at
                      ORDER BY b.created_at
                      LIMIT 1) s ON a.reassigned_to IS NOT NULL
  -- When the unit declined (退回) this assignment: its DECLINE entry while it held it.
  LEFT JOIN LATERAL (SELECT max(t.occurred_at) AS declined_at
                       FROM task.timeline_entry t
                      WHERE t.item_id = a.item_id AND t.unit_code = a.unit_code AND t.action = 'DECLINE'
                        AND t.occurred_at >= a.dispatched_at
                        AND (s.dispatched_at IS NULL OR t.occurred_at <= s.dispatched_at)) d
         ON a.decline_reason IS NOT NULL
  LEFT JOIN LATERAL (SELECT r.id AS report_id, r.percent, r.reported_at, count(*) OVER () AS reports
                       FROM task.progress_report r
                      WHERE r.assignment_id = a.id
                      ORDER BY r.reported_at DESC, r.id DESC
                      LIMIT 1) p ON true
 WHERE a.dispatched_at IS NOT NULL;

CREATE VIEW reporting.progress_reports AS
SELECT r.id AS report_id, r.item_id, r.assignment_id, r.unit_code, a.role, r.percent,
       r.content, r.next_steps, r.help_needed, r.reported_by,
       r.reported_at, (r.reported_at AT TIME ZONE o.zone)::date AS reported_on
  FROM task.progress_report r
  JOIN task.assignment a ON a.id = r.assignment_id
 CROSS JOIN task.office_setting o;

CREATE VIEW reporting.extension_requests AS
SELECT e.id AS request_id, e.item_id, e.assignment_id, e.unit_code, a.role, e.status,
       e.current_deadline, e.requested_deadline, e.reason, e.requested_by,
       e.requested_at, (e.requested_at AT TIME ZONE o.zone)::date AS requested_on,
       e.decided_by, e.decided_at, (e.decided_at AT TIME ZONE o.zone)::date AS decided_on,
       e.decision_comment
  FROM task.extension_request e
  JOIN task.assignment a ON a.id = e.assignment_id
 CROSS JOIN task.office_setting o;

-- One row per urge (催办) of one unit, from the timeline.
CREATE VIEW reporting.urges AS
SELECT t.id AS urge_id, t.item_id, t.unit_code, b.assignment_id, b.role,
       t.occurred_at AS urged_at, (t.occurred_at AT TIME ZONE o.zone)::date AS urged_on,
       t.actor AS urged_by, t.note AS message, (t.after ->> 'urgeCount')::int AS urge_number
  FROM task.timeline_entry t
 CROSS JOIN task.office_setting o
  -- The unit's assignment at the time (a unit may hold an item twice, after a reassignment back).
  LEFT JOIN LATERAL (SELECT x.id AS assignment_id, x.role
                       FROM task.assignment x
                      WHERE x.item_id = t.item_id AND x.unit_code = t.unit_code AND x.dispatched_at <= t.occurred_at
                      ORDER BY x.dispatched_at DESC
                      LIMIT 1) b ON true
 WHERE t.action = 'URGE';

CREATE VIEW reporting.timeline_counts AS
SELECT t.item_id, t.action, count(*) AS entries, min(t.occurred_at) AS first_at, max(t.occurred_at) AS last_at
  FROM task.timeline_entry t
 GROUP BY t.item_id, t.action;

COMMENT ON SCHEMA reporting IS 'task-service reporting contract v1: read-only views for report-service (task-service/README.md)';

-- report-service reads every view here, today's and later ones, and nothing else.
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO duban_report;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO duban_report;
