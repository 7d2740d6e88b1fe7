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

-- The views. Every timestamp (_at) comes with its date in the office's zone (_on).

CREATE VIEW reporting.office AS
SELECT o.zone, o.yellow_working_days, o.updated_at
  FROM task.office_setting o;

CREATE VIEW reporting.working_day AS
SELECT w.day, w.working, w.working_index, w.calendar_known
  FROM task.working_day w;

COMMENT ON SCHEMA reporting IS 'task-service reporting contract v1: read-only views for report-service (task-service/README.md)';

-- report-service reads every view here, today's and later ones, and nothing else.
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO duban_report;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO duban_report;
