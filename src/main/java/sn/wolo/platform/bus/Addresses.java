package sn.wolo.platform.bus;

/** Event-bus address conventions: requests on {@code wolo.<domain>.<verb>}, events on {@code wolo.events.<type>}. */
public final class Addresses {

  private Addresses() {
  }

  public static String request(String domain, String verb) {
    return "wolo." + domain + "." + verb;
  }

  /** Each domain answers this with its health, e.g. {@code {"status":"UP"}}. */
  /** Domains that call outside providers answer this with each provider's health (the admin's health history). */
  public static String dependencies(String domain) {
    return request(domain, "dependencies");
  }

  public static String health(String domain) {
    return request(domain, "health");
  }

  /** Each domain answers this with the personal data it holds for {@code {"user_id":…}} (GDPR export). */
  public static String export(String domain) {
    return request(domain, "export");
  }

  /** Where a domain event of type {@code pot.opened} is published: {@code wolo.events.pot.opened}. */
  public static String event(String eventType) {
    return "wolo.events." + eventType;
  }
}
