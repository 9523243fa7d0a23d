package sn.wolo.pot.api;

import java.util.UUID;

/**
 * What the donations domain must know before taking money for a pot; {@code succeededDonations} and
 * {@code donatedCfa} (the total from donations, referral credit apart) give its usual donation.
 */
public record DonationAcceptance(UUID potId, boolean accepting, PotStatus status, UUID ownerUserId, boolean allowAnonymousDonations,
                                 boolean enableMessages, long targetAmountCfa, long succeededDonations, long donatedCfa) {
}
