package sn.wolo.analytics;

import java.util.Locale;

/** A small, explainable User-Agent classifier: device type, OS and browser families, nothing finer. */
final class UserAgents {

  record Parsed(String deviceType, String os, String browser) {
  }

  private UserAgents() {
  }

  static Parsed parse(String ua) {
    if (ua == null || ua.isBlank()) return new Parsed(null, null, null);
    String s = ua.toLowerCase(Locale.ROOT);
    String os = s.contains("android") ? "Android" : s.contains("iphone") || s.contains("ipad") || s.contains("ios") ? "iOS"
        : s.contains("windows") ? "Windows" : s.contains("mac os") || s.contains("macintosh") ? "macOS"
        : s.contains("linux") ? "Linux" : "Other";
    String device = s.contains("ipad") || s.contains("tablet") ? "tablet"
        : s.contains("mobi") || s.contains("iphone") || s.contains("android") || s.contains("okhttp") || s.contains("wolo-app") ? "mobile"
        : "desktop";
    String browser = s.contains("wolo-app") ? "WOLO app" : s.contains("edg/") ? "Edge" : s.contains("opr/") || s.contains("opera") ? "Opera"
        : s.contains("samsungbrowser") ? "Samsung Internet" : s.contains("chrome/") ? "Chrome" : s.contains("firefox/") ? "Firefox"
        : s.contains("safari/") ? "Safari" : s.contains("okhttp") ? "Android app" : "Other";
    return new Parsed(device, os, browser);
  }
}
