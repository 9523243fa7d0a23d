package sn.wolo.profile.api;

import java.time.LocalDate;

/** Whether a pot may be opened, why not ({@code profile_incomplete}, {@code guardian_required}), and the birthday it is for. */
public record PotOwnership(boolean allowed, String reason, LocalDate dateOfBirth, Boolean isMinor) {
}
