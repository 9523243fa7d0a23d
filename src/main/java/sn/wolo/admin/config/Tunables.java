package sn.wolo.admin.config;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The business parameters an admin may change at runtime ({@code admin.system_config}), each with
 * its type and JSON-Schema rules. Nothing else can be stored: secrets stay in environment variables.
 * The domains read them through {@code RuntimeSettings} under the same key as their default in
 * {@code conf/application.yaml}. Fraud thresholds are sensitive: encrypted at rest, masked on read.
 */
final class Tunables {

  /** One tunable: {@code dataType} is the {@code system_config.data_type}, {@code rules} its validation_rules. */
  record Tunable(String key, String dataType, JsonObject rules, boolean sensitive, String description) {
  }

  static final Map<String, Tunable> ALL = new LinkedHashMap<>();

  static {
    whole("donation.risk.refuse-threshold", 1, 100, true, "Risk score (0-100) at or above which a donation is refused");
    whole("donation.risk.max-per-phone-per-hour", 1, 1_000, true, "Donations a payer phone may start per hour before it adds risk");
    whole("donation.risk.max-per-ip-per-hour", 1, 100_000, true, "Donations one IP may start per hour before it adds risk");
    whole("donation.risk.max-per-pot-per-10-minutes", 1, 100_000, true, "Donations to one pot per 10 minutes before it adds risk");
    whole("donation.risk.tiny-amount-cfa", 100, 100_000, true, "Amounts at or below this count as card-testing probes (XOF)");
    whole("referral.max-invitations-per-day", 1, 50, false, "Invitations per sponsor and Dakar day (the schema caps it at 50)");
    whole("referral.points-referral-accepted", 0, 100_000, false, "Points when an invitee signs up");
    whole("referral.points-pot-opened", 0, 100_000, false, "Points when the invitee's first pot opens");
    whole("referral.points-first-donation", 0, 100_000, false, "Points when the invitee's pot receives its first donation");
    whole("referral.maturation-days", 0, 365, false, "Days before earned points can be spent (the refund window)");
    whole("referral.conversion-rate-cfa", 1, 10_000, false, "Francs of pot credit per point");
    whole("referral.min-conversion-points", 1, 1_000_000, false, "Smallest conversion of points");
  }

  private Tunables() {
  }

  private static void whole(String key, int min, int max, boolean sensitive, String description) {
    ALL.put(key, new Tunable(key, "number", new JsonObject().put("type", "integer").put("minimum", min).put("maximum", max),
        sensitive, description));
  }
}
