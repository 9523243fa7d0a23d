package sn.wolo;

import sn.wolo.admin.AdminApi;
import sn.wolo.admin.AdminVerticle;
import sn.wolo.admin.flags.FeatureFlagsApi;
import sn.wolo.analytics.AnalyticsApi;
import sn.wolo.analytics.AnalyticsVerticle;
import sn.wolo.donation.DonationApi;
import sn.wolo.donation.DonationVerticle;
import sn.wolo.donation.WaveWebhookApi;
import sn.wolo.identity.IdentityApi;
import sn.wolo.identity.IdentityVerticle;
import sn.wolo.notification.DeliveryCallbackApi;
import sn.wolo.notification.DevMessagesApi;
import sn.wolo.notification.NotificationVerticle;
import sn.wolo.pack.PackApi;
import sn.wolo.pack.PackVerticle;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.HealthApi;
import sn.wolo.pot.PotApi;
import sn.wolo.pot.PotVerticle;
import sn.wolo.profile.ProfileApi;
import sn.wolo.profile.ProfileVerticle;
import sn.wolo.redemption.GiftApi;
import sn.wolo.redemption.PartnerApi;
import sn.wolo.redemption.RedemptionVerticle;
import sn.wolo.redemption.SettlementsAdminApi;
import sn.wolo.referral.ReferralApi;
import sn.wolo.referral.ReferralVerticle;
import sn.wolo.web.GuestPagesApi;

import java.util.List;
import java.util.function.Function;

/** The list of domains: their verticles (deployed once each) and their HTTP APIs (mounted on every edge instance). */
public final class Domains {

  private Domains() {
  }

  public static List<Function<AppContext, DomainVerticle>> verticles() {
    return List.of(IdentityVerticle::new, ProfileVerticle::new, ReferralVerticle::new, PotVerticle::new,
        DonationVerticle::new, PackVerticle::new, RedemptionVerticle::new, NotificationVerticle::new,
        AnalyticsVerticle::new, AdminVerticle::new);
  }

  /**
   * The domain verticles this node runs ({@code WOLO_DOMAINS}: {@code all} or a comma list of names).
   * With a clustered event bus, a node may run a few domains and reach the others on other nodes.
   */
  public static List<Function<AppContext, DomainVerticle>> verticlesOf(String selection) {
    if (selection.trim().equals("all")) return verticles();
    java.util.Set<String> wanted = new java.util.HashSet<>(java.util.Arrays.stream(selection.split(",")).map(String::trim).toList());
    java.util.Set<String> unknown = new java.util.TreeSet<>(wanted);
    unknown.removeAll(names());
    if (!unknown.isEmpty()) throw new IllegalArgumentException("WOLO_DOMAINS names unknown domains " + unknown + "; known: " + names());
    List<Function<AppContext, DomainVerticle>> out = new java.util.ArrayList<>();
    for (int i = 0; i < names().size(); i++) {
      if (wanted.contains(names().get(i))) out.add(verticles().get(i));
    }
    return out;
  }

  public static List<String> names() {
    return List.of(IdentityVerticle.DOMAIN, ProfileVerticle.DOMAIN, ReferralVerticle.DOMAIN, PotVerticle.DOMAIN,
        DonationVerticle.DOMAIN, PackVerticle.DOMAIN, RedemptionVerticle.DOMAIN, NotificationVerticle.DOMAIN,
        AnalyticsVerticle.DOMAIN, AdminVerticle.DOMAIN);
  }

  /** A fresh list per edge instance: APIs may keep per-instance state (clients, rate-limit windows). */
  public static List<DomainApi> apis(AppContext app) {
    return List.of(new HealthApi(names()), new sn.wolo.platform.http.ApiDocsApi(), new IdentityApi(), new ProfileApi(), new PotApi(), new PackApi(), new GiftApi(), new PartnerApi(), new SettlementsAdminApi(), new ReferralApi(), new DonationApi(),
        new WaveWebhookApi(), new DeliveryCallbackApi(), new AnalyticsApi(), new AdminApi(), new sn.wolo.admin.sessions.AdminSessionsApi(), new sn.wolo.admin.config.SystemConfigApi(), new FeatureFlagsApi(),
        new DevMessagesApi(), new sn.wolo.notification.DevicesApi(), new GuestPagesApi(),
        new sn.wolo.platform.metrics.MetricsApi());
  }
}
