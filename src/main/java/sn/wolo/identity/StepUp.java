package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import sn.wolo.identity.api.StepUpConfirmation;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.security.PasswordHasher;

import java.util.UUID;

/**
 * Proof that a signed-in user is present now, for the admin console's step-up: a fresh code sent to
 * the account's phone ({@code POST /v1/auth/otp/request} first) or the account's password.
 * {@code {"user_id","code"|"password"}} → {@code {"user_id","roles"}} (the roles as stored now).
 */
final class StepUp {

  private final Vertx vertx;
  private final Pool pool;
  private final Users users;
  private final OtpService otp;

  StepUp(Vertx vertx, Pool pool, Users users, OtpService otp) {
    this.vertx = vertx;
    this.pool = pool;
    this.users = users;
    this.otp = otp;
  }

  Future<StepUpConfirmation> confirm(UUID id, String code, String password) {
    return users.byId(pool, id).compose(found -> {
      Users.User user = found.filter(Users.User::active)
          .orElseThrow(() -> new DomainException(ErrorKind.FORBIDDEN, "account_suspended", "This account is suspended."));
      Future<Void> proven;
      if (code != null && user.phone() != null) {
        proven = otp.confirm(user.phone(), code);
      } else if (password != null && user.passwordHash() != null) {
        proven = vertx.executeBlocking(() -> PasswordHasher.verify(user.passwordHash(), password), false).compose(ok -> ok
            ? Future.succeededFuture() : Future.failedFuture(new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_credentials", "Wrong password.")));
      } else {
        proven = Future.failedFuture(DomainException.invalid("proof_required",
            user.phone() != null ? "Send a fresh code sent to your phone (code)." : "Send your password (password)."));
      }
      return proven.map(v -> new StepUpConfirmation(id, user.roles()));
    });
  }
}
