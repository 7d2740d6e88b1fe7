-- Working-day calendar (工作日历) and deadlines given in working days.

-- A year the office has imported (from the State Council's notice). A year that is not here falls
-- back to Monday-Friday, and every answer computed from it says so.
CREATE TABLE calendar_year (
    year        int PRIMARY KEY,
    papers      jsonb        NOT NULL DEFAULT '[]',
    imported_by varchar(64)  NOT NULL,
    imported_at timestamptz  NOT NULL
);

-- The dates of an imported year that depart from Monday-Friday: holidays (off) and 调休 make-up days (on).
CREATE TABLE calendar_day (
    date    date PRIMARY KEY,
    year    int          NOT NULL REFERENCES calendar_year (year) ON DELETE CASCADE,
    name    varchar(50)  NOT NULL,
    off_day boolean      NOT NULL
);
CREATE INDEX calendar_day_year_idx ON calendar_day (year);

ALTER TABLE supervision_item ADD COLUMN deadline_working_days int;
ALTER TABLE supervision_item ADD COLUMN deadline_calendar_complete boolean NOT NULL DEFAULT true;
ALTER TABLE assignment ADD COLUMN dispatched_at timestamptz;
UPDATE assignment a SET dispatched_at = i.dispatched_at FROM supervision_item i
    WHERE a.item_id = i.id AND a.status <> 'PLANNED' AND a.reassigned_from IS NULL;
UPDATE assignment SET dispatched_at = created_at WHERE reassigned_from IS NOT NULL;

-- Shipped facts: the official arrangements for 2024-2026 (../shared/data/holidays-cn, from the
-- State Council notices). An administrator may replace any year through PUT /api/v1/calendar/{year}.

INSERT INTO calendar_year (year, papers, imported_by, imported_at) VALUES (2024, '["https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm"]', 'system', now());

INSERT INTO calendar_day (date, year, name, off_day) VALUES
    ('2024-01-01', 2024, '元旦', true),
    ('2024-02-04', 2024, '春节', false),
    ('2024-02-10', 2024, '春节', true),
    ('2024-02-11', 2024, '春节', true),
    ('2024-02-12', 2024, '春节', true),
    ('2024-02-13', 2024, '春节', true),
    ('2024-02-14', 2024, '春节', true),
    ('2024-02-15', 2024, '春节', true),
    ('2024-02-16', 2024, '春节', true),
    ('2024-02-17', 2024, '春节', true),
    ('2024-02-18', 2024, '春节', false),
    ('2024-04-04', 2024, '清明节', true),
    ('2024-04-05', 2024, '清明节', true),
    ('2024-04-06', 2024, '清明节', true),
    ('2024-04-07', 2024, '清明节', false),
    ('2024-04-28', 2024, '劳动节', false),
    ('2024-05-01', 2024, '劳动节', true),
    ('2024-05-02', 2024, '劳动节', true),
    ('2024-05-03', 2024, '劳动节', true),
    ('2024-05-04', 2024, '劳动节', true),
    ('2024-05-05', 2024, '劳动节', true),
    ('2024-05-11', 2024, '劳动节', false),
    ('2024-06-10', 2024, '端午节', true),
    ('2024-09-14', 2024, '中秋节', false),
    ('2024-09-15', 2024, '中秋节', true),
    ('2024-09-16', 2024, '中秋节', true),
    ('2024-09-17', 2024, '中秋节', true),
    ('2024-09-29', 2024, '国庆节', false),
    ('2024-10-01', 2024, '国庆节', true),
    ('2024-10-02', 2024, '国庆节', true),
    ('2024-10-03', 2024, '国庆节', true),
    ('2024-10-04', 2024, '国庆节', true),
    ('2024-10-05', 2024, '国庆节', true),
    ('2024-10-06', 2024, '国庆节', true),
    ('2024-10-07', 2024, '国庆节', true),
    ('2024-10-12', 2024, '国庆节', false);

INSERT INTO calendar_year (year, papers, imported_by, imported_at) VALUES (2025, '["https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"]', 'system', now());

INSERT INTO calendar_day (date, year, name, off_day) VALUES
    ('2025-01-01', 2025, '元旦', true),
    ('2025-01-26', 2025, '春节', false),
    ('2025-01-28', 2025, '春节', true),
    ('2025-01-29', 2025, '春节', true),
    ('2025-01-30', 2025, '春节', true),
    ('2025-01-31', 2025, '春节', true),
    ('2025-02-01', 2025, '春节', true),
    ('2025-02-02', 2025, '春节', true),
    ('2025-02-03', 2025, '春节', true),
    ('2025-02-04', 2025, '春节', true),
    ('2025-02-08', 2025, '春节', false),
    ('2025-04-04', 2025, '清明节', true),
    ('2025-04-05', 2025, '清明节', true),
    ('2025-04-06', 2025, '清明节', true),
    ('2025-04-27', 2025, '劳动节', false),
    ('2025-05-01', 2025, '劳动节', true),
    ('2025-05-02', 2025, '劳动节', true),
    ('2025-05-03', 2025, '劳动节', true),
    ('2025-05-04', 2025, '劳动节', true),
    ('2025-05-05', 2025, '劳动节', true),
    ('2025-05-31', 2025, '端午节', true),
    ('2025-06-01', 2025, '端午节', true),
    ('2025-06-02', 2025, '端午节', true),
    ('2025-09-28', 2025, '国庆节、中秋节', false),
    ('2025-10-01', 2025, '国庆节、中秋节', true),
    ('2025-10-02', 2025, '国庆节、中秋节', true),
    ('2025-10-03', 2025, '国庆节、中秋节', true),
    ('2025-10-04', 2025, '国庆节、中秋节', true),
    ('2025-10-05', 2025, '国庆节、中秋节', true),
    ('2025-10-06', 2025, '国庆节、中秋节', true),
    ('2025-10-07', 2025, '国庆节、中秋节', true),
    ('2025-10-08', 2025, '国庆节、中秋节', true),
    ('2025-10-11', 2025, '国庆节、中秋节', false);

INSERT INTO calendar_year (year, papers, imported_by, imported_at) VALUES (2026, '["https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"]', 'system', now());

INSERT INTO calendar_day (date, year, name, off_day) VALUES
    ('2026-01-01', 2026, '元旦', true),
    ('2026-01-02', 2026, '元旦', true),
    ('2026-01-03', 2026, '元旦', true),
    ('2026-01-04', 2026, '元旦', false),
    ('2026-02-14', 2026, '春节', false),
    ('2026-02-15', 2026, '春节', true),
    ('2026-02-16', 2026, '春节', true),
    ('2026-02-17', 2026, '春节', true),
    ('2026-02-18', 2026, '春节', true),
    ('2026-02-19', 2026, '春节', true),
    ('2026-02-20', 2026, '春节', true),
    ('2026-02-21', 2026, '春节', true),
    ('2026-02-22', 2026, '春节', true),
    ('2026-02-23', 2026, '春节', true),
    ('2026-02-28', 2026, '春节', false),
    ('2026-04-04', 2026, '清明节', true),
    ('2026-04-05', 2026, '清明节', true),
    ('2026-04-06', 2026, '清明节', true),
    ('2026-05-01', 2026, '劳动节', true),
    ('2026-05-02', 2026, '劳动节', true),
    ('2026-05-03', 2026, '劳动节', true),
    ('2026-05-04', 2026, '劳动节', true),
    ('2026-05-05', 2026, '劳动节', true),
    ('2026-05-09', 2026, '劳动节', false),
    ('2026-06-19', 2026, '端午节', true),
    ('2026-06-20', 2026, '端午节', true),
    ('2026-06-21', 2026, '端午节', true),
    ('2026-09-20', 2026, '国庆节', false),
    ('2026-09-25', 2026, '中秋节', true),
    ('2026-09-26', 2026, '中秋节', true),
    ('2026-09-27', 2026, '中秋节', true),
    ('2026-10-01', 2026, '国庆节', true),
    ('2026-10-02', 2026, '国庆节', true),
    ('2026-10-03', 2026, '国庆节', true),
    ('2026-10-04', 2026, '国庆节', true),
    ('2026-10-05', 2026, '国庆节', true),
    ('2026-10-06', 2026, '国庆节', true),
    ('2026-10-07', 2026, '国庆节', true),
    ('2026-10-10', 2026, '国庆节', false);
