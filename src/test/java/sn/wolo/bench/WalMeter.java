package sn.wolo.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import sn.wolo.testing.Await;

/**
 * What PostgreSQL wrote to its write-ahead log between two points of a benchmark ({@code pg_stat_wal},
 * the whole cluster): a durable write's cost that, unlike CPU time, hardly moves from run to run on a
 * shared machine — records count the rows and index entries written; bytes add full-page images,
 * which depend on when checkpoints fall.
 */
record WalMeter(long records, long bytes, long fullPageImages) {

  static WalMeter now(Pool pool) {
    Row r = Await.result(pool.query("SELECT wal_records, wal_bytes::bigint, wal_fpi FROM pg_stat_wal").execute()).iterator().next();
    return new WalMeter(r.getLong(0), r.getLong(1), r.getLong(2));
  }

  WalMeter since(WalMeter start) {
    return new WalMeter(records - start.records, bytes - start.bytes, fullPageImages - start.fullPageImages);
  }

  String perUnit(long units, String unit) {
    return String.format("%.1f records and %.1f KiB per %s (%.2f full-page images), %,d records in all", (double) records / units,
        bytes / 1024.0 / units, unit, (double) fullPageImages / units, records);
  }
}
