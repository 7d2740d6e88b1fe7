-- The timeline keeps what people wrote whole: a progress report or a submission summary may be 5000
-- characters (the API's limit), and its line in the timeline carries the same text.
ALTER TABLE timeline_entry ALTER COLUMN note TYPE varchar(5000);

-- Append-only holds against TRUNCATE too, which row triggers do not see.
CREATE TRIGGER timeline_no_truncate BEFORE TRUNCATE ON timeline_entry
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_is_append_only();
