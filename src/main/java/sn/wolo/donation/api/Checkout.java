package sn.wolo.donation.api;

import java.util.UUID;

/** A donation waiting for its payment: where Wave takes the donor to pay. */
public record Checkout(UUID id, String status, String waveLaunchUrl, String checkoutSessionId) {
}
