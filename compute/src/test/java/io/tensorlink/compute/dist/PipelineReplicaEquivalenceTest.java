package io.tensorlink.compute.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.loss.Targets;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.GradientReducer;
import io.tensorlink.compute.train.HyperParams;
import io.tensorlink.compute.train.StepResult;
import io.tensorlink.compute.train.TinyModels;
import io.tensorlink.compute.train.TrainingStep;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * k pipeline stages × r data-parallel replicas reproduce, bit for bit, one process training the
 * same global batch with r shards. Each stage gets only its own parameters, its own backend
 * (thread counts differ on purpose) and activations serialised to little-endian bytes, as they
 * would cross a process boundary.
 */
class PipelineReplicaEquivalenceTest {
  private static final int STEPS = 3;
  private static final int GLOBAL_BATCH = 8;

  @ParameterizedTest(name = "{0}: {1} stages x {2} replicas")
  @CsvSource({"MLP, 2, 2", "MLP, 3, 4", "CNN, 2, 2", "CNN, 4, 1", "GPT, 3, 2", "GPT, 1, 4"})
  void stagesTimesReplicasMatchOneProcess(final String family, final int k, final int r) {
    final String json = switch (family) {
      case "MLP" -> TinyModels.MLP;
      case "CNN" -> TinyModels.CNN;
      default -> TinyModels.GPT;
    };
    final Model model = TinyModels.model(json);
    final HyperParams hp = TinyModels.hyperParams(r);
    final List<Stage> stages = PipelinePartitioner.stages(model, k);
    assertThat(stages).hasSize(k);

    NamedTensors single = model.initParams(3);
    NamedTensors singleState = hp.optimizer().initState(single);
    NamedTensors dist = single.copy();
    final NamedTensors distState = hp.optimizer().initState(dist);
    final List<CpuBackend> backends = new ArrayList<>();
    try (CpuBackend main = CpuBackend.withThreads(2)) {
      for (int s = 0; s < k; s++) {
        backends.add(new CpuBackend(new CpuBackend.Options(1 + s % 3, s % 2 == 0)));
      }
      final TrainingStep step = new TrainingStep(model, main);
      for (int t = 0; t < STEPS; t++) {
        final Batch batch = TinyModels.batch(model, GLOBAL_BATCH, 100 + t);
        final StepResult expected = step.applyInPlace(single, singleState, batch, hp, t);
        single = expected.params();
        singleState = expected.optState();

        final List<NamedTensors> replicaGrads = new ArrayList<>();
        double lossSum = 0;
        final int per = GLOBAL_BATCH / r;
        final int targetsPer = model.loss().targetsPerSample(model.outputShape());
        for (int rep = 0; rep < r; rep++) {
          final Tensor in = TrainingStep.slice(batch.inputs(), rep * per, per);
          final Targets targets = Targets.labels(batch.labels()).slice(rep * per, per, targetsPer);
          final List<Stage.Run> runs = new ArrayList<>();
          Tensor act = in;
          for (int s = 0; s < k; s++) {
            final Stage.Run run = stages.get(s).begin(backends.get(s), stages.get(s).selectParams(dist), hp.seed(), t,
                (long) rep * per);
            runs.add(run);
            act = overTheWire(run.forward(act));
          }
          final Stage.LossAndGrad lg = runs.get(k - 1).loss(act, targets, GLOBAL_BATCH);
          lossSum += lg.lossSum();
          Tensor g = lg.grad();
          for (int s = k - 1; s >= 0; s--) {
            g = runs.get(s).backward(g);
            if (g != null) {
              g = overTheWire(g);
            }
          }
          final NamedTensors.Builder all = NamedTensors.builder();
          for (final Stage.Run run : runs) {
            all.addAll(run.grads());
          }
          replicaGrads.add(all.build());
        }
        final NamedTensors reduced = GradientReducer.sum(replicaGrads);
        final StepResult got = step.update(dist, distState, reduced, lossSum / step.divisor(GLOBAL_BATCH), hp, t);
        assertThat(Float.floatToRawIntBits(got.loss())).as("loss at step %d", t)
            .isEqualTo(Float.floatToRawIntBits(expected.loss()));
        assertThat(got.gradRoot()).as("gradRoot at step %d", t).isEqualTo(expected.gradRoot());
        assertThat(dist).as("params after step %d", t).isEqualTo(single);
      }
    } finally {
      backends.forEach(CpuBackend::close);
    }
    assertThat(distState).isEqualTo(singleState);
  }

  @Test
  void partitionIsContiguousBalancedAndNeverSplitsABlock() {
    final Model model = TinyModels.model(TinyModels.GPT);
    final List<StageRange> ranges = PipelinePartitioner.partition(model, 3);
    assertThat(ranges.get(0).from()).isZero();
    assertThat(ranges.get(2).to()).isEqualTo(model.layers().size());
    for (int i = 1; i < ranges.size(); i++) {
      assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to());
    }
    final long total = ranges.stream().mapToLong(StageRange::cost).sum();
    final long max = ranges.stream().mapToLong(StageRange::cost).max().orElseThrow();
    // The heaviest single layer bounds the best split from below.
    long heaviest = 0;
    for (final StageRange one : PipelinePartitioner.partition(model, model.layers().size())) {
      heaviest = Math.max(heaviest, one.cost());
    }
    assertThat(max).isLessThanOrEqualTo(Math.max(heaviest, total / 3 + heaviest));
    assertThatThrownBy(() -> PipelinePartitioner.partition(model, model.layers().size() + 1))
        .hasMessageContaining("into " + (model.layers().size() + 1) + " stages");
  }

  private static Tensor overTheWire(final Tensor t) {
    final ByteBuffer buf = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(t.data());
    final float[] back = new float[t.size()];
    buf.asFloatBuffer().get(back);
    return Tensor.of(back, t.shape());
  }
}
