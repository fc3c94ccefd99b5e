package io.tensorlink.chain.job.tensor;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.dist.Stage;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one worker cell (stage, replica) of a job accepts on {@code /tl/tensor/1.0.0}, and the
 * frames it has received. A frame is accepted only when its sender is the peer bound to the
 * account the assignment names for the sending cell, that cell is a neighbour for the frame's kind
 * (activations from stage s−1, gradients from stage s+1, both of the same replica; replica
 * gradients from another replica of the same stage), its step is the current or the next one, its
 * slot is still empty, and its tensors have exactly the expected names and shapes. Frames of the
 * next step wait until the worker gets there: a neighbour can be one step ahead, never two.
 *
 * <p>Thread-safe: the endpoint accepts and delivers on network threads while the worker awaits.
 */
public final class CellInbox {
  /** RLP list headers, names and shape integers of the tensor set encoding, generously. */
  private static final int ENCODING_SLACK = 4096;

  private final JobContext job;
  private final int stage;
  private final int replica;
  private final MicroBatchPlan plan;
  private final NamedTensors gradTemplate;
  private final Set<Slot> reserved = ConcurrentHashMap.newKeySet();
  private final Map<Slot, CompletableFuture<NamedTensors>> values = new ConcurrentHashMap<>();
  private volatile long current;

  /**
   * @param firstStep the step the worker starts at (0, or the step after a checkpoint)
   */
  public CellInbox(final JobContext job, final int stage, final int replica, final MicroBatchPlan plan,
      final long firstStep) {
    this.job = job;
    this.stage = stage;
    this.replica = replica;
    this.plan = plan;
    this.gradTemplate = job.stages().get(stage).selectParams(job.initialParams()).zerosLike();
    this.current = firstStep;
  }

  public BigInteger jobId() {
    return job.jobId();
  }

  /** The worker starts {@code step}: earlier frames are dropped, frames of {@code step + 1} accepted. */
  public void advance(final long step) {
    current = step;
    reserved.removeIf(s -> s.step() < step);
    values.keySet().removeIf(s -> s.step() < step);
  }

  /**
   * Checks a frame header from {@code sender} (the account bound to the sending peer) and reserves
   * its slot.
   *
   * @return the largest payload this frame may have, in bytes
   * @throws FrameRejectedException naming the reason
   */
  public long accept(final EthAddress sender, final FrameHeader h) {
    if (!h.jobId().equals(job.jobId())) {
      throw new FrameRejectedException("frame for job " + h.jobId() + " on job " + job.jobId() + "'s inbox");
    }
    final Assignment a = job.assignment();
    if (h.stage() >= a.stages() || h.replica() >= a.replicas()) {
      throw new FrameRejectedException("no cell stage " + h.stage() + " replica " + h.replica() + " in a "
          + a.stages() + "x" + a.replicas() + " job");
    }
    final boolean neighbour = switch (h.kind()) {
      case ACTIVATION -> h.stage() == stage - 1 && h.replica() == replica;
      case GRADIENT -> h.stage() == stage + 1 && h.replica() == replica;
      case REPLICA_GRADS -> h.stage() == stage && h.replica() != replica;
    };
    if (!neighbour) {
      throw new FrameRejectedException(h.kind() + " from stage " + h.stage() + " replica " + h.replica()
          + " is not for stage " + stage + " replica " + replica);
    }
    final EthAddress assigned = a.worker(h.stage(), h.replica());
    if (!assigned.equals(sender)) {
      throw new FrameRejectedException("sender " + sender + " is not " + assigned + ", the worker assigned to stage "
          + h.stage() + " replica " + h.replica());
    }
    final long now = current;
    if (h.step() != now && h.step() != now + 1) {
      throw new FrameRejectedException("frame for step " + h.step() + " while at step " + now);
    }
    if (h.step() >= job.spec().steps()) {
      throw new FrameRejectedException("frame for step " + h.step() + " of a " + job.spec().steps() + "-step job");
    }
    if (h.kind() != FrameKind.REPLICA_GRADS && h.micro() >= plan.count()) {
      throw new FrameRejectedException("micro-batch " + h.micro() + " of " + plan.count());
    }
    if (!reserved.add(Slot.of(h))) {
      throw new FrameRejectedException("duplicate " + Slot.of(h));
    }
    return maxBytes(h);
  }

  /** Frees the slot of a frame whose message failed or was refused, so its sender can send it again. */
  public void release(final FrameHeader h) {
    final Slot slot = Slot.of(h);
    final CompletableFuture<NamedTensors> f = values.get(slot);
    if (f == null || !f.isDone()) {
      reserved.remove(slot);
    }
  }

  /**
   * Checks the decoded tensors of an accepted frame and hands them to the worker.
   *
   * @throws FrameRejectedException when names or shapes are not the expected ones (the slot is freed)
   */
  public void deliver(final FrameHeader h, final NamedTensors tensors) {
    try {
      checkShapes(h, tensors);
    } catch (FrameRejectedException e) {
      release(h);
      throw e;
    }
    values.computeIfAbsent(Slot.of(h), k -> new CompletableFuture<>()).complete(tensors);
  }

  /** Whether {@code slot}'s tensors are here, so {@link #await} would not wait. */
  public boolean ready(final Slot slot) {
    final CompletableFuture<NamedTensors> f = values.get(slot);
    return f != null && f.isDone();
  }

  /**
   * The tensors of {@code slot}, waiting up to {@code timeout}.
   *
   * @throws TimeoutException naming the slot when nothing valid arrived in time
   */
  public NamedTensors await(final Slot slot, final Duration timeout) throws TimeoutException, InterruptedException {
    final CompletableFuture<NamedTensors> f = values.computeIfAbsent(slot, k -> new CompletableFuture<>());
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("slot " + slot + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException("no valid " + slot + " within " + timeout);
    }
  }

  private long maxBytes(final FrameHeader h) {
    return switch (h.kind()) {
      case ACTIVATION, GRADIENT -> 4L * plan.rows(h.micro()) * perSample(expectedShape(h)) + ENCODING_SLACK;
      case REPLICA_GRADS -> 4L * gradTemplate.elementCount() + ENCODING_SLACK + 64L * gradTemplate.count();
    };
  }

  private static long perSample(final int[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** [rows, per-sample shape of this stage's input (activations) or output (gradients)]. */
  private int[] expectedShape(final FrameHeader h) {
    final Stage s = job.stages().get(stage);
    final int[] sample = h.kind() == FrameKind.ACTIVATION ? s.stack().inputShape() : s.stack().outputShape();
    final int[] shape = new int[sample.length + 1];
    shape[0] = plan.rows(h.micro());
    System.arraycopy(sample, 0, shape, 1, sample.length);
    return shape;
  }

  private void checkShapes(final FrameHeader h, final NamedTensors t) {
    if (h.kind() == FrameKind.REPLICA_GRADS) {
      if (!t.names().equals(gradTemplate.names())) {
        throw new FrameRejectedException("replica gradients name " + t.names() + ", stage " + stage + " has "
            + gradTemplate.names());
      }
      for (int i = 0; i < t.count(); i++) {
        if (!Arrays.equals(t.get(i).shape(), gradTemplate.get(i).shape())) {
          throw new FrameRejectedException("replica gradient '" + t.name(i) + "' has shape "
              + Arrays.toString(t.get(i).shape()) + ", expected " + Arrays.toString(gradTemplate.get(i).shape()));
        }
      }
      return;
    }
    if (!t.names().equals(List.of(TensorFrames.LINK))) {
      throw new FrameRejectedException(h.kind() + " frame carries tensors " + t.names() + ", expected ["
          + TensorFrames.LINK + "]");
    }
    final Tensor x = t.get(0);
    final int[] want = expectedShape(h);
    if (!Arrays.equals(x.shape(), want)) {
      throw new FrameRejectedException(h.kind() + " of shape " + Arrays.toString(x.shape()) + ", expected "
          + Arrays.toString(want));
    }
  }
}
