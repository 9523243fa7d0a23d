package sn.wolo.donation.api;

import java.util.List;

/** Phones (E.164) of a pot's succeeded donations. */
public record DonorContacts(List<String> contacts) {
}
