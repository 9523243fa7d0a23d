package sn.wolo.identity.api;

import java.util.List;
import java.util.UUID;

/** The user proved it again just now; their roles at this moment. */
public record StepUpConfirmation(UUID userId, List<String> roles) {
}
