-- The mobile feed's page (issue 9: a full poll of 200 rows at 1,000,000 items). A unit's assignments
-- in hand (PENDING_ACCEPTANCE, IN_PROGRESS, SUBMITTED, dispatched) in feed order, so that a page is the
-- first rows of one index range instead of every open assignment of the unit (947 for the largest
-- unit at 1M) sorted for the first 200. io.duban.task.feed.FeedRow writes the status filter as
-- literals so that the planner can prove this predicate for any subset of those statuses.
CREATE INDEX assignment_feed_idx ON task.assignment (unit_code, deadline, id)
 WHERE status IN ('PENDING_ACCEPTANCE', 'IN_PROGRESS', 'SUBMITTED') AND dispatched_at IS NOT NULL;
