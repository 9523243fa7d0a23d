package sn.wolo.platform.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A {@link DomainException} on its way back over the event bus. A reply whose body is a
 * {@link ReplyException} fails the requester's future; this subclass carries the whole exception (kind,
 * code, message, fields, retry) and has its own codec, so it crosses JVMs of a clustered bus intact
 * ({@link #register} on every node).
 */
public final class DomainFailure extends ReplyException {

  private final DomainException exception;

  public DomainFailure(DomainException exception) {
    super(ReplyFailure.RECIPIENT_FAILURE, exception.kind().ordinal(), exception.getMessage(), true);
    this.exception = exception;
  }

  public DomainException exception() {
    return exception;
  }

  /** The domain's "no" inside a failure, if it is one (a timeout or a missing handler is not). */
  public static Optional<DomainException> of(Throwable failure) {
    if (failure instanceof DomainException e) return Optional.of(e);
    if (failure instanceof DomainFailure f) return Optional.of(f.exception);
    return Optional.empty();
  }

  public static void register(EventBus bus) {
    bus.registerDefaultCodec(DomainFailure.class, new Codec());
  }

  /** The codec itself (for a test of the wire form). */
  static MessageCodec<DomainFailure, DomainFailure> codec() {
    return new Codec();
  }

  /** Length-prefixed UTF-8 JSON of {@link DomainException#toJson()}. */
  private static final class Codec implements MessageCodec<DomainFailure, DomainFailure> {

    @Override
    public void encodeToWire(Buffer buffer, DomainFailure failure) {
      byte[] json = failure.exception.toJson().encode().getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(json.length).appendBytes(json);
    }

    @Override
    public DomainFailure decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      String json = buffer.getString(pos + 4, pos + 4 + length, "UTF-8");
      return new DomainFailure(DomainException.fromJson(new JsonObject(json)));
    }

    @Override
    public DomainFailure transform(DomainFailure failure) {
      return failure;   // immutable
    }

    @Override
    public String name() {
      return "wolo-domain-failure";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
