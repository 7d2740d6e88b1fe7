-- Traces (issue 12): the W3C traceparent of the request that wrote the event. The relay sends the event
-- later, from its own thread; it makes its send span a child of this one and passes it on as the
-- traceparent header, so that the lifecycle action, the delivery and what notification-service did
-- with the event are one trace. Null for rows written outside a trace (and for rows before V13).
ALTER TABLE outbox_event ADD COLUMN trace_parent varchar(64);
