-- One database role and one schema per service. Run as a superuser against the Duban database,
-- by docker-compose (docker-entrypoint-initdb.d), by run-local.sh and by the tests. Idempotent.
-- The passwords are the local/demo defaults; production sets its own (ALTER ROLE ... PASSWORD).
DO $$
DECLARE
  svc text;
BEGIN
  FOREACH svc IN ARRAY ARRAY['task', 'notification', 'report'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'duban_' || svc) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', 'duban_' || svc, 'duban_' || svc);
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', svc, 'duban_' || svc);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', svc);
  END LOOP;
END
$$;

-- task-service's reporting contract: read-only views that it owns and migrates (Flyway schemas
-- task,reporting), and that report-service may read and nothing else of task-service. The views'
-- SELECT grants come with task-service's migrations (ALTER DEFAULT PRIVILEGES covers later views).
CREATE SCHEMA IF NOT EXISTS reporting AUTHORIZATION duban_task;
REVOKE ALL ON SCHEMA reporting FROM PUBLIC;
GRANT USAGE ON SCHEMA reporting TO duban_report;
