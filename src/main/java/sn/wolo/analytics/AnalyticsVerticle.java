package sn.wolo.analytics;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Analytics: event ingestion, business metrics, funnels, A/B tests (schema analytics). */
public final class AnalyticsVerticle extends DomainVerticle {

  public static final String DOMAIN = "analytics";

  public AnalyticsVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
