-- Issue 18: every index on donations.donations is written by each initiation (an insert) and each
-- settlement (an update that sets wave_transaction_id, a unique column, so never HOT): twelve WAL
-- records per initiation, eight per settled row, measured with pg_stat_statements. Three indexes
-- served no query:
--
-- FIX (spec): idx_donations_status (status) — five values, most rows 'succeeded': no query is
--   selective on it (the gauges and the daily analytics read every row of a status or a day anyway;
--   a pot's donations by status use (pot_id, status)).
-- idx_donations_pot_initiated (pot_id, initiated_at), V23 — the pot velocity rule counted with it;
--   since V28 it sums donations.pot_initiation_counts.
-- idx_donations_pending_age (initiated_at) WHERE pending/processing, V5 — the reconciler claims on
--   idx_donations_reconcile_due (V16) since its backoff schedule; nothing else reads pending by age.
DROP INDEX donations.idx_donations_status;
DROP INDEX donations.idx_donations_pot_initiated;
DROP INDEX donations.idx_donations_pending_age;
