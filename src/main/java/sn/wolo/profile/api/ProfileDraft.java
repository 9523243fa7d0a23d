package sn.wolo.profile.api;

/** The profile fields of a sign-up, as the client sent them (validated by {@link Profiles#prepare}). */
public record ProfileDraft(String fullName, String dateOfBirth, String guardianPhone, String relationshipType) {
}
