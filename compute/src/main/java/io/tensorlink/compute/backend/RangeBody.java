package io.tensorlink.compute.backend;

/** Work on the index range {@code [from, to)}; ranges given to different threads never overlap. */
@FunctionalInterface
public interface RangeBody {
  void run(int from, int to);
}
