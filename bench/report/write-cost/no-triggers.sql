-- The "no rollup" copy: the five tables' rollup triggers dropped (cells no longer kept).
DO $$
DECLARE t text; op text;
BEGIN
  FOREACH t IN ARRAY ARRAY['supervision_item', 'assignment', 'extension_request', 'progress_report', 'timeline_entry'] LOOP
    FOREACH op IN ARRAY ARRAY['ins', 'upd', 'del'] LOOP
      EXECUTE format('DROP TRIGGER IF EXISTS report_rollup_%s ON task.%I', op, t);
    END LOOP;
  END LOOP;
END $$;
