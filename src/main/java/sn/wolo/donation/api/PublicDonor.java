package sn.wolo.donation.api;

import java.time.Instant;

/** A donor as the public sees them: "Anonyme" when hidden, no amount when the donor hid it. */
public record PublicDonor(String name, Long amountCfa, String message, Instant createdAt) {
}
