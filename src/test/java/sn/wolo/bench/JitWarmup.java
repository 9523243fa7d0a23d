package sn.wolo.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;

/**
 * Warms a JVM up before a measurement: runs rounds of the load until the JIT compiler spent less
 * than {@link #SETTLED} of a round's wall time compiling (it then runs the code it will keep
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

  /** Runs {@code round} (given its number) until the compiler settles; prints what it took. */
  static void run(String what, int maxRounds, IntConsumer round) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    int rounds = 0;
    double share = Double.NaN;
    while (rounds < maxRounds) {
      long wall0 = System.nanoTime();
      long compiled0 = jit.getTotalCompilationTime();
      round.accept(rounds++);
      double wallMillis = (System.nanoTime() - wall0) / 1e6;
      share = (jit.getTotalCompilationTime() - compiled0) / wallMillis;
      if (share < SETTLED) break;
    }
    System.out.printf("warm-up:  %d round(s) of %s in %.1f s, not measured; the JIT compiled %.0f %% of the last round's time%s%n", rounds, what,
        (System.nanoTime() - start) / 1e9, 100 * share, share < SETTLED ? "" : " (not settled: round limit)");
  }
}
