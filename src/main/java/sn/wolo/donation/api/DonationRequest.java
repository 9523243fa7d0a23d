package sn.wolo.donation.api;

import java.util.Map;
import java.util.UUID;

/**
 * A donation as asked: the pot, the donor's form as sent ({@code amount_cfa}, {@code donor_name},
 * {@code donor_phone}, {@code message}, {@code is_anonymous}, {@code show_amount}: validated by the
 * donation domain, which names the field at fault), the share token that opened the pot, the signed-in
 * donor if any, and the client's address and agent (fraud rules).
 */
public record DonationRequest(UUID potId, Map<String, Object> donation, String invitationToken, UUID donorUserId, String ip,
                              String userAgent) {
}
