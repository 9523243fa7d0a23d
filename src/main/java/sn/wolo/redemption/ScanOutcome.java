package sn.wolo.redemption;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;

import java.time.OffsetDateTime;

/** The outcome of scanning a gift's token at a partner: its log value and the error the scanner gets. */
enum ScanOutcome {
  SUCCESS("success", null, "valid", "The gift can be redeemed."),
  INVALID("invalid", ErrorKind.NOT_FOUND, "gift_not_found", "No gift has this code."),
  WRONG_PARTNER("wrong_partner", ErrorKind.FORBIDDEN, "wrong_partner", "This gift is to be redeemed at another partner."),
  PARTNER_INACTIVE("partner_inactive", ErrorKind.FORBIDDEN, "partner_inactive", "Your partner account is not active."),
  CANCELLED("cancelled", ErrorKind.CONFLICT, "gift_cancelled", "This gift was cancelled."),
  ALREADY_USED("already_used", ErrorKind.CONFLICT, "already_redeemed", "This gift was already redeemed."),
  EXPIRED("expired", ErrorKind.CONFLICT, "gift_expired", "This gift has expired."),
  NOT_YET_VALID("not_yet_valid", ErrorKind.CONFLICT, "gift_not_yet_valid", "This gift can be redeemed from the birthday on."),
  VENUE_NOT_ALLOWED("venue_not_allowed", ErrorKind.CONFLICT, "venue_not_allowed", "This gift is not honoured at this venue.");

  private final String logResult;
  private final ErrorKind kind;   // null: a success
  private final String code;
  private final String message;

  ScanOutcome(String logResult, ErrorKind kind, String code, String message) {
    this.logResult = logResult;
    this.kind = kind;
    this.code = code;
    this.message = message;
  }

  /** Decides in the order a cashier would want to hear it: whose gift, then its state, then when, then where. */
  static ScanOutcome of(Row gift, Redemptions.Scanner scanner, String locationId, OffsetDateTime now) {
    if (gift == null) return INVALID;
    if (!gift.getUUID("partner_id").equals(scanner.partnerId())) return WRONG_PARTNER;
    if (!"active".equals(scanner.partnerStatus())) return PARTNER_INACTIVE;
    switch (gift.getString("status")) {
      case "cancelled": return CANCELLED;
      case "redeemed": return ALREADY_USED;
      case "expired": return EXPIRED;
      default: break;
    }
    if (!now.isBefore(gift.getOffsetDateTime("expires_at"))) return EXPIRED;
    if (now.isBefore(gift.getOffsetDateTime("redeemable_from"))) return NOT_YET_VALID;
    return venueAllowed(gift, scanner.partnerVenues(), locationId) ? SUCCESS : VENUE_NOT_ALLOWED;
  }

  /** A location must be one of the partner's venues and, when the pack is restricted, one of its venues (then it is required). */
  private static boolean venueAllowed(Row gift, JsonArray partnerVenues, String locationId) {
    JsonArray restricted = gift.getValue("venue_restrictions") instanceof JsonArray a && !a.isEmpty() ? a : null;
    if (locationId == null) return restricted == null;
    boolean known = partnerVenues.stream().anyMatch(v -> v instanceof JsonObject o && locationId.equals(o.getString("id")));
    return known && (restricted == null || restricted.contains(locationId));
  }

  String logResult() {
    return logResult;
  }

  DomainException error() {
    return new DomainException(kind, code, message);
  }

  /** Outcomes where even a validation reveals nothing about the gift. */
  boolean hidesGift() {
    return this == INVALID || this == WRONG_PARTNER || this == PARTNER_INACTIVE;
  }
}
