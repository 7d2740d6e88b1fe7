-- report-service's own data: the ranking rule admins may change, and frozen bulletins (督查通报).
-- Task data is never stored here; it is read from task-service's `reporting` views.

-- The ranking rule (SPEC.md "Counting rules", default rule): one row, changed by admins.
CREATE TABLE ranking_rule (
    id               boolean     PRIMARY KEY DEFAULT true CHECK (id),
    base             int         NOT NULL,
    on_time          int         NOT NULL,
    late             int         NOT NULL,
    overdue          int         NOT NULL,
    urge             int         NOT NULL,
    rating_excellent int         NOT NULL,
    rating_good      int         NOT NULL,
    rating_fair      int         NOT NULL,
    rating_poor      int         NOT NULL,
    version          bigint      NOT NULL,
    updated_by       varchar(64) NOT NULL,
    updated_at       timestamptz NOT NULL
);
INSERT INTO ranking_rule VALUES (true, 100, 2, -3, -5, -1, 2, 1, 0, -2, 1, 'system', now());

-- Bulletin numbers per year, without gaps: the counter row is locked by the transaction that takes
-- the next number and commits with the bulletin, so a rolled-back creation gives its number back.
CREATE TABLE bulletin_counter (
    year int PRIMARY KEY,
    last int NOT NULL
);

CREATE TABLE bulletin (
    id          uuid         PRIMARY KEY,
    year        int          NOT NULL,
    seq         int          NOT NULL,
    title       varchar(200) NOT NULL,
    preface     varchar(5000),
    period_from date         NOT NULL,
    period_to   date         NOT NULL,
    as_of       timestamptz  NOT NULL,
    snapshot    jsonb        NOT NULL,
    created_by  varchar(64)  NOT NULL,
    created_at  timestamptz  NOT NULL,
    UNIQUE (year, seq)
);
