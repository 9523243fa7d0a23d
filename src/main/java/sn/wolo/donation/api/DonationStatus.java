package sn.wolo.donation.api;

import java.time.Instant;
import java.util.UUID;

/** A donation's state ({@code pending}, {@code succeeded}, {@code failed}, {@code refunded}, …). */
public record DonationStatus(UUID id, UUID potId, long amountCfa, String status, String waveLaunchUrl, String checkoutSessionId,
                             Instant initiatedAt, Instant confirmedAt) {
}
