package sn.wolo.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.Operation;
import sn.wolo.platform.http.ApiContract;
import sn.wolo.platform.http.CompiledSchema;
import sn.wolo.testing.Await;

import java.util.UUID;
import java.util.function.Predicate;

/**
 * The cost of checking one request against the contract, per check, on one thread: the library's
 * validator against the compiled checks that let a valid request skip it, for the donation body
 * ({@code POST /v1/pots/{id}/donations}) and its {@code id} path parameter (a string of at most 200 characters). Each is run
 * for N checks after N unmeasured ones (the JIT's warm-up); both see the same values.
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=sn.wolo.bench.ContractCheckBenchmark [-Dexec.args="1000000"]}
 */
public final class ContractCheckBenchmark {

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Vertx vertx = Vertx.vertx();
    try {
      ApiContract contract = Await.result(ApiContract.load(vertx));
      Operation create = contract.resolved().operation("createDonation");   // POST /v1/pots/{id}/donations
      JsonSchema body = create.getRequestBody().getContent().get("application/json").getSchema();
      JsonSchema id = create.getParameters().stream().filter(p -> p.getName().equals("id")).findFirst().orElseThrow().getSchema();
      Object donation = Buffer.buffer(new JsonObject().put("amount_cfa", 5_000).put("donor_name", "Bench").put("donor_phone", "+221770000001")
          .put("message", "Joyeux anniversaire !").encode()).toJsonValue();
      String potId = UUID.randomUUID().toString();
      System.out.printf("contract check benchmark: %,d checks each after %,d unmeasured; one thread; machine: %s%n", n, n, BenchDatabase.machine());
      compare("donation body", contract, body, donation, n);
      compare("id path parameter", contract, id, potId, n);
    } finally {
      Await.result(vertx.close());
    }
    System.exit(0);
  }

  private static void compare(String what, ApiContract contract, JsonSchema schema, Object value, int n) {
    Validator library = contract.resolved().getSchemaRepository().validator(schema);
    Predicate<Object> compiled = CompiledSchema.of(schema).orElseThrow()::surelyValid;
    double libraryNs = nanosPerCheck(v -> library.validate(v).getValid(), value, n);
    double compiledNs = nanosPerCheck(compiled, value, n);
    System.out.printf("%-18s library %,8.0f ns   compiled %,6.0f ns   %.0f x%n", what + ":", libraryNs, compiledNs, libraryNs / compiledNs);
  }

  private static double nanosPerCheck(Predicate<Object> check, Object value, int n) {
    int valid = 0;
    for (int i = 0; i < n; i++) if (check.test(value)) valid++;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) if (check.test(value)) valid++;
    long elapsed = System.nanoTime() - t0;
    if (valid != 2 * n) throw new IllegalStateException("the value was not found valid every time");
    return (double) elapsed / n;
  }
}
