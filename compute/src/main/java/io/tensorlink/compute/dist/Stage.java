package io.tensorlink.compute.dist;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.loss.Targets;
import io.tensorlink.compute.nn.LayerStack;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.Pass;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.util.List;

/**
 * One pipeline stage: a contiguous range of the model's layers that can run in its own process.
 * It holds only its own parameters; activations go forward and their gradients come back as
 * plain tensors. The arithmetic is the same layer code a whole-model step runs, so a pipeline
 * reproduces the single-process bits.
 *
 * <p>Use: {@link #begin} one {@link Run} per micro-batch, {@code forward} it, (last stage:
 * {@code loss}), then {@code backward}; the run's gradients are this stage's parameter gradients.
 */
public record Stage(int index, int count, StageRange range, LayerStack stack, Model model) {

  static Stage of(final Model model, final int index, final int count, final StageRange range) {
    final LayerStack whole = model.stack();
    return new Stage(index, count, range,
        new LayerStack(whole.layers().subList(range.from(), range.to()), whole.inputShapeOf(range.from())), model);
  }

  public boolean isFirst() {
    return index == 0;
  }

  public boolean isLast() {
    return index == count - 1;
  }

  /** Names of this stage's parameters, in spec order. */
  public List<String> paramNames() {
    return stack.paramNames();
  }

  /** This stage's slice of the full parameter set. */
  public NamedTensors selectParams(final NamedTensors all) {
    return all.select(paramNames());
  }

  /** Starts a micro-batch on this stage with zero gradients. */
  public Run begin(final Backend backend, final NamedTensors stageParams, final long seed, final long step,
      final long sampleOffset) {
    final NamedTensors grads = stageParams.zerosLike();
    return new Run(new Pass(backend, stageParams, grads, true, seed, step, sampleOffset), grads);
  }

  /** One micro-batch in flight on this stage. */
  public final class Run {
    private final Pass pass;
    private final NamedTensors grads;

    private Run(final Pass pass, final NamedTensors grads) {
      this.pass = pass;
      this.grads = grads;
    }

    /** Activations in, activations out (per-sample shapes of the stage's input/output). */
    public Tensor forward(final Tensor activations) {
      return stack.forward(pass, activations);
    }

    /**
     * Last stage only: loss sum of this micro-batch over {@code output} and the gradient to feed
     * {@link #backward}, scaled by the global divisor {@code globalBatch × units per sample}.
     */
    public LossAndGrad loss(final Tensor output, final Targets targets, final int globalBatch) {
      if (!isLast()) {
        throw new IllegalStateException("stage " + index + " of " + count + " is not the last stage");
      }
      final Tensor grad = Tensor.zeros(output.shape());
      final double divisor = (double) globalBatch * model.loss().unitsPerSample(model.outputShape());
      return new LossAndGrad(model.loss().forwardBackward(pass.backend(), output, targets, divisor, grad), grad);
    }

    /** Gradient of the stage's output in, gradient of its input out (null on the first stage). */
    public Tensor backward(final Tensor gradOut) {
      return stack.backward(pass, gradOut, !isFirst());
    }

    /** This stage's parameter gradients for the micro-batch (valid after backward). */
    public NamedTensors grads() {
      return grads;
    }
  }

  /** The loss sum of a micro-batch and the gradient of its output. */
  public record LossAndGrad(double lossSum, Tensor grad) {}
}
