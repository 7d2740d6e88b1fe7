-- The database roles and schemas of the three services. Run as a superuser against the Duban
-- database: by docker-compose (docker-entrypoint-initdb.d, first start), by run-local.sh and by the
-- tests (every start). Idempotent; run it again before upgrading an existing database.
-- The passwords are the local/demo defaults; production sets its own (ALTER ROLE ... PASSWORD).
--
-- Least privilege: each service has two roles.
--   duban_<svc>_owner  owns the service's schema and runs its migrations (Flyway); the service's
--                      tables, views and functions belong to it.
--   duban_<svc>        what the running service connects as: the data it works with (SELECT,
--                      INSERT, UPDATE, DELETE), never DDL, never TRUNCATE, never another schema.
--                      A migration may take more away (task-service: no UPDATE or DELETE on the
--                      timeline, V8).
DO $$
DECLARE
  svc text;
  owner text;
  runtime text;
BEGIN
  FOREACH svc IN ARRAY ARRAY['task', 'notification', 'report'] LOOP
    owner := 'duban_' || svc || '_owner';
    runtime := 'duban_' || svc;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = owner) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', owner, owner);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', runtime, runtime);
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', svc, owner);
    -- A database from before the owner roles: the runtime role owned everything; the owner takes it over.
    EXECUTE format('REASSIGN OWNED BY %I TO %I', runtime, owner);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', svc, owner);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', svc);
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', svc, runtime);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', svc, runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', svc, runtime);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', svc, runtime);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                   owner, svc, runtime);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
                   owner, svc, runtime);
  END LOOP;
END
$$;
-- The timeline is append-only and the working-day table read-only for the running service (V8
-- revokes the rest after the tables exist); on a database that has them already, the GRANT above
-- gave it back, and this takes it away again.
DO $$
BEGIN
  IF to_regclass('task.timeline_entry') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON task.timeline_entry FROM duban_task;
  END IF;
  IF to_regclass('task.working_day') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE ON task.working_day FROM duban_task;
  END IF;
  -- The summary's cells and the items pending their recount are written by the owner's trigger
  -- functions only (task-service V14).
  IF to_regclass('task.report_dirty') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE
      ON task.report_dirty, task.report_part, task.report_cell, task.board_part, task.board_cell FROM duban_task;
  END IF;
  IF to_regclass('task.open_row') IS NOT NULL THEN  -- the overdue lists' rows (V16), likewise
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON task.open_row FROM duban_task;
  END IF;
END
$$;

-- task-service's reporting contract: read-only views that it owns and migrates (Flyway schemas
-- task,reporting), and that report-service may read and nothing else of task-service. The views'
-- SELECT grants come with task-service's migrations (ALTER DEFAULT PRIVILEGES covers later views).
CREATE SCHEMA IF NOT EXISTS reporting AUTHORIZATION duban_task_owner;
ALTER SCHEMA reporting OWNER TO duban_task_owner;
REVOKE ALL ON SCHEMA reporting FROM PUBLIC;
GRANT USAGE ON SCHEMA reporting TO duban_report;
