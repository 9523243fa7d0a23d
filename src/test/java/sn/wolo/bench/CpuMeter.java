package sn.wolo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds spent between two points of a benchmark: the whole machine's busy time (from
 * {@code /proc/stat}), this JVM's (the load generator, and Wave's simulator when it runs here), the
 * server's in its own JVM ({@link ServerProcess}) and PostgreSQL's (every {@code postgres} process on
 * the machine, those that exited included).
 */
record CpuMeter(double machineSeconds, double jvmSeconds, double serverSeconds, double postgresSeconds) {

  /** {@code /proc} counts in USER_HZ ticks, 100 per second on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  static CpuMeter now(ServerProcess server) {
    return new CpuMeter(readMachineBusy(), readJvm(), server.cpuSeconds(), readPostgres());
  }

  /** The CPU spent since {@code start}. */
  CpuMeter since(CpuMeter start) {
    return new CpuMeter(machineSeconds - start.machineSeconds, jvmSeconds - start.jvmSeconds, serverSeconds - start.serverSeconds,
        postgresSeconds - start.postgresSeconds);
  }

  String perThousand(long units, String what) {
    double k = 1000.0 / units;
    return String.format("%.2f s per 1,000 %s on the whole machine, of which the server's JVM %.2f s, PostgreSQL %.2f s,"
        + " the load generator's JVM %.2f s, the rest %.2f s", k * machineSeconds, what, k * serverSeconds, k * postgresSeconds, k * jvmSeconds,
        k * (machineSeconds - serverSeconds - postgresSeconds - jvmSeconds));
  }

  private static double readJvm() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** user + nice + system + irq + softirq + steal of the "cpu" line (idle and iowait excluded); NaN off Linux. */
  private static double readMachineBusy() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])
          + (f.length > 8 ? Long.parseLong(f[8]) : 0);
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * utime + stime of every live {@code postgres} process, plus cutime + cstime (its exited children:
   * backends and workers that came and went) of those whose parent is not one; NaN off Linux.
   */
  private static double readPostgres() {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      long ticks = procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .mapToLong(CpuMeter::postgresTicks).sum();
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The process's own ticks (and its reaped children's for a postmaster) when it is a postgres process, else 0. */
  private static long postgresTicks(Path proc) {
    String[] f = stat(proc);
    if (f == null || !"postgres".equals(f[0])) return 0;
    long own = Long.parseLong(f[12]) + Long.parseLong(f[13]);
    String[] parent = stat(Path.of("/proc", f[2]));
    boolean postmaster = parent == null || !"postgres".equals(parent[0]);
    return postmaster ? own + Long.parseLong(f[14]) + Long.parseLong(f[15]) : own;
  }

  /**
   * The fields of {@code /proc/PID/stat} from the command name on: [0] comm, [1] state, [2] ppid …
   * [12] utime, [13] stime, [14] cutime, [15] cstime; null when the process is gone.
   */
  private static String[] stat(Path proc) {
    try {
      String s = Files.readString(proc.resolve("stat"));
      int open = s.indexOf('(');
      int close = s.lastIndexOf(')');   // the name may hold spaces and parentheses
      String comm = s.substring(open + 1, close);
      String[] rest = s.substring(close + 2).split(" ");
      String[] f = new String[rest.length + 1];
      f[0] = comm;
      System.arraycopy(rest, 0, f, 1, rest.length);
      return f;
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }
}
