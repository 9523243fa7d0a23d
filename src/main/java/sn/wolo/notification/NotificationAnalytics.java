package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.DailyJobs;

import java.time.Clock;
import java.time.LocalDate;

/** The daily {@code notification_analytics}: per template and channel, sent/delivered/failed/bounced and rates. Upsert per day. */
final class NotificationAnalytics {

  private static final String UPSERT = """
      INSERT INTO notifications.notification_analytics (date, template_key, channel, sent_count, delivered_count,
          failed_count, bounce_count, delivery_rate)
      SELECT $1, t.template_key, n.channel,
             count(*) FILTER (WHERE n.status IN ('sent', 'delivered', 'bounced')),
             count(*) FILTER (WHERE n.status = 'delivered'),
             count(*) FILTER (WHERE n.status = 'failed'),
             count(*) FILTER (WHERE n.status = 'bounced'),
             CASE WHEN count(*) FILTER (WHERE n.status IN ('sent', 'delivered', 'bounced')) > 0
                  THEN round(count(*) FILTER (WHERE n.status = 'delivered')::numeric
                             / count(*) FILTER (WHERE n.status IN ('sent', 'delivered', 'bounced')), 4) END
      FROM notifications.notifications n JOIN notifications.notification_templates t ON t.id = n.template_id
      WHERE n.created_at >= $2 AND n.created_at < $3
      GROUP BY t.template_key, n.channel
      ON CONFLICT (date, template_key, channel) DO UPDATE SET sent_count = EXCLUDED.sent_count,
          delivered_count = EXCLUDED.delivered_count, failed_count = EXCLUDED.failed_count,
          bounce_count = EXCLUDED.bounce_count, delivery_rate = EXCLUDED.delivery_rate""";

  private final Pool pool;
  private final Clock clock;

  NotificationAnalytics(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<Boolean> runForYesterday() {
    return DailyJobs.runForYesterday(pool, clock, "notification_analytics", this::compute);
  }

  Future<Integer> compute(LocalDate day) {
    Times.Day d = Times.dakarDay(day);
    return pool.preparedQuery(UPSERT).execute(Tuple.of(day, d.start(), d.end())).map(r -> r.rowCount());
  }
}
