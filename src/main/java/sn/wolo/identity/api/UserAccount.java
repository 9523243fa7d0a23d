package sn.wolo.identity.api;

import java.util.List;
import java.util.UUID;

/** An account: its identifiers, roles and whether it may sign in. */
public record UserAccount(UUID userId, String phone, String email, List<String> roles, boolean isActive) {
}
