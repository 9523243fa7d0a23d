package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Monthly partitions of {@code analytics_events}: created ahead of time (previous month to two
 * months ahead) and dropped once entirely older than the retention (2 years, spec §6) — a DROP, not
 * millions of DELETEs. Clock-driven, idempotent.
 */
final class Partitions {

  private static final Logger log = LoggerFactory.getLogger(Partitions.class);
  private static final Pattern NAME = Pattern.compile("analytics_events_(\\d{6})");
  private static final String LIST = """
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'analytics.analytics_events'::regclass ORDER BY c.relname""";

  private final Pool pool;
  private final Clock clock;
  private final int retentionMonths;

  Partitions(Pool pool, Clock clock, int retentionMonths) {
    this.pool = pool;
    this.clock = clock;
    this.retentionMonths = retentionMonths;
  }

  /** Ensures the partitions from last month to two months ahead; returns how many were created. */
  Future<Integer> ensureAhead() {
    LocalDate lastMonth = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
    return pool.preparedQuery("SELECT analytics.ensure_event_partitions($1, 4)").execute(Tuple.of(lastMonth))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Drops the partitions whose whole month is older than the retention; returns their names. */
  Future<List<String>> dropExpired() {
    YearMonth oldestKept = YearMonth.from(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)).minusMonths(retentionMonths);
    return pool.query(LIST).execute().compose(rows -> {
      List<String> expired = new ArrayList<>();
      for (Row r : rows) {
        Matcher m = NAME.matcher(r.getString(0));
        if (m.matches() && YearMonth.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMM")).isBefore(oldestKept)) {
          expired.add(r.getString(0));
        }
      }
      Future<Void> chain = Future.succeededFuture();
      for (String name : expired) {
        // The name matched the strict pattern above: safe to splice into DDL.
        chain = chain.compose(v -> pool.query("DROP TABLE IF EXISTS analytics." + name).execute().mapEmpty());
      }
      return chain.map(v -> {
        if (!expired.isEmpty()) log.info("dropped analytics partitions past retention: {}", expired);
        return expired;
      });
    });
  }

  Future<List<String>> list() {
    return pool.query(LIST).execute().map(rows -> {
      List<String> names = new ArrayList<>();
      rows.forEach(r -> names.add(r.getString(0)));
      return names;
    });
  }
}
