package sn.wolo.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.errors.FieldError;
import sn.wolo.testing.Await;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11: a contract bound and called over a real event bus, typed on both ends, JSON on the wire. */
class TypedBusTest {

  @BusContract(domain = "sample")
  public interface Samples {

    Future<Sample> describe(UUID sampleId, String label, int count, LocalDate day);

    Future<Sample> echo(Sample sample);

    Future<Void> refuse(String why);

    Future<Void> crash();
  }

  public record Sample(UUID id, String label, long amountCfa, LocalDate day, Instant at, List<String> tags, Nested nested,
                       Map<String, Object> data) {
  }

  public record Nested(boolean isActive, String note) {
  }

  static final class SampleService implements Samples {

    @Override
    public Future<Sample> describe(UUID sampleId, String label, int count, LocalDate day) {
      return Future.succeededFuture(new Sample(sampleId, label == null ? "(default)" : label, count * 1000L, day,
          Instant.parse("2026-11-26T05:00:00Z"), List.of("a", "b"), new Nested(true, null), Map.of("k", 1)));
    }

    @Override
    public Future<Sample> echo(Sample sample) {
      return Future.succeededFuture(sample);
    }

    @Override
    public Future<Void> refuse(String why) {
      return Future.failedFuture(new DomainException(ErrorKind.UNPROCESSABLE, "sample_refused", "No: " + why,
          List.of(new FieldError("label", "too_long", "label is too long")), 7));
    }

    @Override
    public Future<Void> crash() {
      throw new IllegalStateException("secret detail");
    }
  }

  private static Vertx vertx;
  private static Samples samples;

  @BeforeAll
  static void bind() {
    vertx = Vertx.vertx();
    DomainFailure.register(vertx.eventBus());
    TypedBus.bind(vertx, Samples.class, new SampleService());
    samples = TypedBus.proxy(vertx, Samples.class);
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  @Test
  void aCallReadsLikeAMethodAndTheWireIsSnakeCaseJson() {
    UUID id = UUID.randomUUID();
    Sample s = Await.result(samples.describe(id, "cadeau", 3, LocalDate.of(2027, 2, 10)));
    assertEquals(id, s.id());
    assertEquals(3000L, s.amountCfa());
    assertEquals(LocalDate.of(2027, 2, 10), s.day());
    assertEquals(Instant.parse("2026-11-26T05:00:00Z"), s.at());
    assertEquals(List.of("a", "b"), s.tags());
    assertTrue(s.nested().isActive());

    assertEquals("wolo.sample.describe", TypedBus.address(Samples.class, TypedBus.operations(Samples.class).stream()
        .filter(m -> m.getName().equals("describe")).findFirst().orElseThrow()));
    // What another JVM (or a JSON caller) sends and gets: snake_case fields, ISO dates.
    JsonObject reply = Await.result(Bus.call(vertx, "wolo.sample.describe", new JsonObject().put("sample_id", id.toString())
        .put("count", 1).put("day", "2027-02-10").put("from_a_newer_node", true)));
    assertEquals(1000, reply.getInteger("amount_cfa"));
    assertEquals("2026-11-26T05:00:00Z", reply.getString("at"));
    assertEquals("(default)", reply.getString("label"), "an absent argument is null, and the field is absent rather than null");
    assertTrue(reply.getJsonObject("nested").getBoolean("is_active"));
    assertTrue(reply.containsKey("nested") && reply.getJsonObject("nested").containsKey("note"), "replies keep null fields");
  }

  @Test
  void aRecordParameterIsTheWholeRequest() {
    Sample in = new Sample(UUID.randomUUID(), "x", 5, null, null, List.of(), null, Map.of("nested", Map.of("n", 2)));
    Sample out = Await.result(samples.echo(in));
    assertEquals(in.id(), out.id());
    assertEquals(5, out.amountCfa());
    assertNull(out.day());
    assertEquals(Map.of("n", 2), out.data().get("nested"));
  }

  @Test
  void aDomainExceptionArrivesWholeAndABugArrivesWithoutDetails() {
    DomainException refused = assertThrows(DomainException.class, () -> Await.result(samples.refuse("late")));
    assertEquals(ErrorKind.UNPROCESSABLE, refused.kind());
    assertEquals("sample_refused", refused.code());
    assertEquals("No: late", refused.getMessage());
    assertEquals(List.of(new FieldError("label", "too_long", "label is too long")), refused.fields());
    assertEquals(7, refused.retryAfterSeconds());

    DomainException crashed = assertThrows(DomainException.class, () -> Await.result(samples.crash()));
    assertEquals(ErrorKind.INTERNAL, crashed.kind());
    assertFalse(crashed.getMessage().contains("secret"), crashed.getMessage());
  }

  @Test
  void aRequestThatDoesNotMatchTheContractIsRefusedAsInvalid() {
    Throwable failure = assertThrows(Throwable.class, () -> Await.result(Bus.call(vertx, "wolo.sample.describe",
        new JsonObject().put("sample_id", "not-a-uuid").put("count", 1))));
    DomainException e = DomainFailure.of(failure).orElseThrow(() -> new AssertionError(failure));
    assertEquals(ErrorKind.INVALID, e.kind());
    assertEquals("invalid_request", e.code());
  }

  @Test
  void theFailureCodecRoundTripsOverTheWire() {
    DomainException original = new DomainException(ErrorKind.RATE_LIMITED, "slow_down", "Wait", List.of(new FieldError("a", "b", "c")), 30);
    io.vertx.core.buffer.Buffer wire = io.vertx.core.buffer.Buffer.buffer();
    var codec = DomainFailure.codec();
    codec.encodeToWire(wire, new DomainFailure(original));
    DomainException back = codec.decodeFromWire(0, wire).exception();
    assertEquals(original.toJson(), back.toJson());
  }
}
