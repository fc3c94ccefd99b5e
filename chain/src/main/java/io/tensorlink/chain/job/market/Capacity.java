package io.tensorlink.chain.job.market;

/**
 * What a worker offers besides its price, measured at node start ({@link CapacityProbe}).
 * Advisory: the assignment rule ranks by price, so a worker cannot win cells by overstating these;
 * clients and operators read them.
 *
 * @param mflops sustained single-precision GEMM throughput on the engine's own kernel, MFLOP/s
 * @param memoryBytes the heap the worker's JVM may use
 * @param linkMbps the worker's link bandwidth in Mbit/s as its operator declares it (0: unknown)
 */
public record Capacity(long mflops, long memoryBytes, long linkMbps) {
  public Capacity {
    if (mflops < 0 || memoryBytes < 0 || linkMbps < 0) {
      throw new IllegalArgumentException("capacity figures must be >= 0, got " + mflops + ", " + memoryBytes + ", "
          + linkMbps);
    }
  }
}
