package sn.wolo.donation.api;

import java.util.UUID;

/** A donation's donor: an account, a guest's phone, or neither. */
public record DonorContact(UUID donationId, UUID donorUserId, String donorPhone) {
}
