package sn.wolo.pack.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's place at a partner: which partner, its status, its venues, the user's role there. */
public record PartnerMembership(UUID partnerId, String name, String status, List<Map<String, Object>> venues, String role) {
}
