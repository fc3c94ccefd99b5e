package io.tensorlink.chain.pol;

/** V1 for tests in other packages. */
public final class GoldenVectorsTestAccess {
  private GoldenVectorsTestAccess() {}

  public static StepRecord v1() {
    return GoldenVectorsTest.v1();
  }
}
