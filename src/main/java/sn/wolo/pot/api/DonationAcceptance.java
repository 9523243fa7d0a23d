package sn.wolo.pot.api;

import java.util.UUID;

/** What the donations domain must know before taking money for a pot. */
public record DonationAcceptance(UUID potId, boolean accepting, PotStatus status, UUID ownerUserId, boolean allowAnonymousDonations,
                                 boolean enableMessages, long targetAmountCfa) {
}
