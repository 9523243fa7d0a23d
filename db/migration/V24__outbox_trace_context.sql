-- Tracing (issue 17): the W3C traceparent of the request that caused an event, stored with it so the
-- relay can put it in the Kafka record's headers (the event is published later, outside the request).
ALTER TABLE platform.outbox ADD COLUMN traceparent VARCHAR(55);
