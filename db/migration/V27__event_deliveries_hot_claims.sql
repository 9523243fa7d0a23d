-- Issue 18: a consumer's claim updates its deliveries' lease (attempts, next_attempt_at — neither
-- indexed) before it takes (deletes) them. With full pages the update could not stay on the row's
-- page, so each claimed row cost a new heap tuple and a new entry in each of the three indexes (five
-- WAL records per row, measured with pg_stat_statements under a webhook burst), and the claim's
-- index scan walked the dead entries. Rows live seconds (inserted by the relay, leased, deleted), so
-- half-empty pages cost little space and keep the lease update on the page (a HOT update: no index
-- entry). Autovacuum visits this queue table after a few thousand dead rows, not 20 % of it.
ALTER TABLE platform.event_deliveries SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000);
