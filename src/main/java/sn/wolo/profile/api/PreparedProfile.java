package sn.wolo.profile.api;

import java.time.LocalDate;
import java.util.UUID;

/** A validated sign-up profile; for a minor, the guardian's phone (E.164, and its keyed hash) and account if known. */
public record PreparedProfile(String fullName, LocalDate dateOfBirth, boolean isMinor, String guardianPhone, String guardianPhoneHash,
                              String relationshipType, UUID guardianUserId) {
}
