package sn.wolo.platform.security;

import java.util.Set;

/** The authenticated caller of a request, from a verified access token. */
public record Principal(String userId, Set<String> roles, String sessionId) {

  public static final String USER = "user";
  public static final String ADMIN = "admin";
  public static final String SUPER_ADMIN = "super_admin";
  public static final String PARTNER = "partner";

  public boolean hasAnyRole(String... wanted) {
    for (String r : wanted) {
      if (roles.contains(r)) return true;
    }
    return false;
  }

  /** Admins and super admins act on other users' resources; everyone acts on their own. */
  public boolean isAdmin() {
    return hasAnyRole(ADMIN, SUPER_ADMIN);
  }
}
