package io.tensorlink.cli;

/** tl-cli's exit codes; documented in the README so scripts can rely on them. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The command failed (a runtime error, a reverted transaction, an unreachable peer). */
  public static final int FAILURE = 1;
  /** The command line was wrong (unknown option, missing argument). */
  public static final int USAGE = 2;
  /** The configuration (file, environment, flag value) was invalid. */
  public static final int CONFIG = 3;
  /** What the command inspects is not running (e.g. {@code devnet status} with no devnet). */
  public static final int NOT_RUNNING = 4;

  private ExitCodes() {}
}
