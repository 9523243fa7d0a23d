package sn.wolo.identity.api;

import io.vertx.core.Future;
import sn.wolo.platform.bus.BusContract;

import java.util.List;
import java.util.UUID;

/** What other domains ask of identity about accounts (served by {@code IdentityVerticle}). */
@BusContract(domain = "identity")
public interface Accounts {

  /** The account ({@code NOT_FOUND user_not_found}). */
  Future<UserAccount> getUser(UUID userId);

  /** Several accounts in one read (a burst's messages go to many owners); unknown ids are left out. */
  Future<UserAccounts> getUsers(List<UUID> userIds);

  /** The active account with this phone, in any usual notation ({@code NOT_FOUND user_not_found}). */
  Future<UserAccount> findByPhone(String phone);

  /** Which of these E.164 numbers already have an account (one query for a batch). */
  Future<ExistingPhones> existingPhones(List<String> phones);

  /**
   * A fresh proof that the user is who the session says: a code just sent to their phone, or their
   * password ({@code INVALID proof_required}, {@code UNAUTHENTICATED invalid_credentials}/{@code invalid_code}).
   */
  Future<StepUpConfirmation> stepUp(UUID userId, String code, String password);

  /**
   * The phone and email an erased account had (kept encrypted for 7 days after the erasure), so that
   * domains holding rows keyed by them can erase those too; nulls once forgotten.
   */
  Future<ErasedIdentifiers> erasureIdentifiers(UUID userId);
}
