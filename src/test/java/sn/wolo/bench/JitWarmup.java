package sn.wolo.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Warms JVMs up before a measurement: runs rounds of the load until each JVM's JIT compiler spent
 * less than {@link #SETTLED} of a round's wall time compiling (it then runs the code it will keep
 * running), at most {@code maxRounds}. A server runs for days; a measurement of its first seconds
 * measures the compiler (C2 took half a core for the first minute of the analytics benchmark).
 */
final class JitWarmup {

  static final double SETTLED = 0.05;

  private JitWarmup() {
  }

  /** The round limit given as {@code warmup=R} among a benchmark's arguments, else {@code defaultRounds}. */
  static int maxRounds(String[] args, int defaultRounds) {
    for (String a : args) {
      if (a.startsWith("warmup=")) return Integer.parseInt(a.substring("warmup=".length()));
    }
    return defaultRounds;
  }

  /** The load generator's compiler (this JVM) and the server's, in a JVM of its own. */
  static void run(String what, int maxRounds, ServerProcess server, IntConsumer round) {
    Map<String, LongSupplier> compilers = new LinkedHashMap<>();
    compilers.put("the server", server::compiledMillis);
    compilers.put("the load generator", ManagementFactory.getCompilationMXBean()::getTotalCompilationTime);
    run(what, maxRounds, compilers, round);
  }

  /** Runs {@code round} (given its number) until every compiler (milliseconds compiled so far, by JVM) settles; prints what it took. */
  private static void run(String what, int maxRounds, Map<String, LongSupplier> compilers, IntConsumer round) {
    long start = System.nanoTime();
    int rounds = 0;
    List<Double> shares = new ArrayList<>();
    boolean settled = false;
    while (rounds < maxRounds && !settled) {
      long wall0 = System.nanoTime();
      long[] compiled0 = compilers.values().stream().mapToLong(LongSupplier::getAsLong).toArray();
      round.accept(rounds++);
      double wallMillis = (System.nanoTime() - wall0) / 1e6;
      shares.clear();
      int i = 0;
      for (LongSupplier compiled : compilers.values()) shares.add((compiled.getAsLong() - compiled0[i++]) / wallMillis);
      settled = shares.stream().allMatch(s -> s < SETTLED);
    }
    StringBuilder last = new StringBuilder();
    int i = 0;
    for (String jvm : compilers.keySet()) {
      last.append(i == 0 ? "" : ", ").append(String.format("%s's %.0f %%", jvm, shares.isEmpty() ? Double.NaN : 100 * shares.get(i)));
      i++;
    }
    System.out.printf("warm-up:  %d round(s) of %s in %.1f s, not measured; JIT compiling in the last round's time: %s%s%n", rounds, what,
        (System.nanoTime() - start) / 1e9, last, settled ? "" : " (not settled: round limit)");
  }
}
