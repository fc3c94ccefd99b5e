package io.tensorlink.chain.validator;

/**
 * The validator's time source (leader timeouts, submit grace). An input so that a host (the
 * standalone node, Besu, a test) decides what "now" is.
 */
@FunctionalInterface
public interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences are used. */
  long millis();

  static Clock system() {
    return System::currentTimeMillis;
  }
}
