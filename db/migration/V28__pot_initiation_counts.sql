-- Issue 18: per-window counters for the pot velocity rule. The fraud rules counted a pot's donations
-- of the last 10 minutes in donations.donations, up to the limit; when an admin raises the limit for
-- a very popular pot (100,000), every new donation counted every recent row of that pot — a scan
-- growing with the pot's success (178 initiations/s on one such pot, 8.7 ms of PostgreSQL each).
-- Now each stored donation adds one to its pot's count for its minute, in the statement that stores
-- it, and the rule sums at most ~11 minutes × 4 shards of rows whatever the limit. The shard (chosen
-- by the donation) spreads a hot pot's increments over four rows so they do not queue on one row lock.
-- Counts older than an hour are purged by the donation domain (they serve no other purpose).
-- Phone and IP velocities keep counting donations up to their limit on their indexes: their counts
-- would hold personal data, and their limits stay small.
CREATE TABLE donations.pot_initiation_counts (
    pot_id      UUID        NOT NULL,
    minute      TIMESTAMPTZ NOT NULL,   -- date_trunc('minute', initiated_at)
    shard       SMALLINT    NOT NULL,   -- 0..3
    initiations INTEGER     NOT NULL,
    PRIMARY KEY (pot_id, minute, shard)
) WITH (fillfactor = 70);   -- the increment is a HOT update: no index column changes
