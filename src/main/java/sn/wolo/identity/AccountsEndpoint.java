package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.identity.api.Accounts;
import sn.wolo.identity.api.ErasedIdentifiers;
import sn.wolo.identity.api.ExistingPhones;
import sn.wolo.identity.api.StepUpConfirmation;
import sn.wolo.identity.api.UserAccount;
import sn.wolo.identity.api.UserAccounts;
import sn.wolo.platform.bus.ContractJson;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.phone.PhoneNumbers;

import java.util.List;
import java.util.UUID;

/** Serves {@link Accounts} from the users, the step-up and the erasure records. */
record AccountsEndpoint(Pool pool, Users users, StepUp stepUp, Erasure erasure) implements Accounts {

  @Override
  public Future<UserAccount> getUser(UUID userId) {
    return users.byId(pool, userId).map(u -> u.map(AccountsEndpoint::account)
        .orElseThrow(() -> DomainException.notFound("user_not_found", "No such user.")));
  }

  @Override
  public Future<UserAccounts> getUsers(List<UUID> userIds) {
    return users.byIds(pool, userIds).map(found -> new UserAccounts(found.stream().map(AccountsEndpoint::account).toList()));
  }

  @Override
  public Future<UserAccount> findByPhone(String phone) {
    String e164 = PhoneNumbers.normalise(phone);
    return users.byPhone(pool, e164).map(u -> u.filter(Users.User::active).map(AccountsEndpoint::account)
        .orElseThrow(() -> DomainException.notFound("user_not_found", "No user with this phone number.")));
  }

  @Override
  public Future<ExistingPhones> existingPhones(List<String> phones) {
    return users.existingPhones(pool, phones == null ? List.of() : phones).map(ExistingPhones::new);
  }

  @Override
  public Future<StepUpConfirmation> stepUp(UUID userId, String code, String password) {
    return stepUp.confirm(userId, code, password);
  }

  @Override
  public Future<ErasedIdentifiers> erasureIdentifiers(UUID userId) {
    return erasure.identifiers(userId).map(json -> ContractJson.fromJson(json, ErasedIdentifiers.class));
  }

  static UserAccount account(Users.User u) {
    return new UserAccount(u.id(), u.phone(), u.email(), u.roles(), u.active());
  }

  /** The same account as JSON, for this domain's HTTP answers. */
  static JsonObject json(Users.User u) {
    return ContractJson.toJson(account(u));
  }
}
