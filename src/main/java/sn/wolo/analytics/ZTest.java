package sn.wolo.analytics;

/**
 * The two-proportion z-test (pooled), as used to compare an A/B variant's conversion rate with the
 * control's: z = (p2 − p1) / √(p(1−p)(1/n1 + 1/n2)), p = (c1 + c2)/(n1 + n2); two-sided confidence
 * 2Φ(|z|) − 1.
 */
public final class ZTest {

  public record Result(double z, double confidence) {
  }

  private ZTest() {
  }

  public static Result compare(long conversions1, long n1, long conversions2, long n2) {
    if (n1 == 0 || n2 == 0) return new Result(0, 0);
    double p1 = (double) conversions1 / n1;
    double p2 = (double) conversions2 / n2;
    double p = (double) (conversions1 + conversions2) / (n1 + n2);
    double se = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
    if (se == 0) return new Result(0, 0);
    double z = (p2 - p1) / se;
    return new Result(z, 2 * normalCdf(Math.abs(z)) - 1);
  }

  /** Φ(x) through erf (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
  static double normalCdf(double x) {
    return 0.5 * (1 + erf(x / Math.sqrt(2)));
  }

  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }
}
