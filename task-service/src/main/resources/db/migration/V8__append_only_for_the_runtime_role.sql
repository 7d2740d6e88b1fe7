-- The running service writes the timeline and never changes it: its role (the datasource user) may
-- insert entries and read them, nothing else. With the append-only triggers (which only the owner
-- could set aside) no SQL the service's connections can send changes or removes an entry.
REVOKE UPDATE, DELETE, TRUNCATE ON timeline_entry FROM ${runtime_role};

-- The working-day table is derived from the calendar; only its refresh, run as the owner when a
-- calendar change commits, writes it.
REVOKE INSERT, UPDATE, DELETE ON working_day FROM ${runtime_role};
ALTER FUNCTION calendar_changed() SECURITY DEFINER SET search_path = task, pg_temp;
