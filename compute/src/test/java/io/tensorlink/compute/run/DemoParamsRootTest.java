package io.tensorlink.compute.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.compute.cuda.BackendKind;
import io.tensorlink.compute.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The bits `./tl demo` shows: the MLP on Fashion-MNIST, 300 steps of batch 128, AdamW at lr 1e-3,
 * seed 7 (bin/tl-demo's worker runs 2 threads, its validator 1). MLP and CNN bits must never move
 * with a kernel change (compute/README.md), so this root is pinned for both thread counts.
 */
class DemoParamsRootTest {

  private static final Path MLP = Path.of("../models/mlp.json");
  private static final String DEMO_ROOT = "0xacf0c4f46eba0427f50cd1df6a5986732b0b02f14103e3570675afaf9897716f";

  @Test
  void theDemosMlpRunEndsOnItsPinnedParamsRoot() {
    final boolean installed = FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR);
    if (!installed) {
      System.out.println("DemoParamsRootTest skipped: Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR
          + " (apt-get install dataset-fashion-mnist)");
    }
    assumeTrue(installed, "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR);
    assumeTrue(Files.isRegularFile(MLP), "model spec " + MLP.toAbsolutePath() + " missing");
    for (final int threads : new int[] {2, 1}) {
      final RunSpec spec = new RunSpec(MLP, "fashion-mnist", OptionalLong.of(300), OptionalLong.empty(), 128, 1e-3f,
          OptimizerChoice.ADAMW, threads, 7, BackendKind.CPU, new StartFrom.Seeded(), true, Optional.empty(),
          Optional.empty());
      final TrainingRun.Outcome o = TrainingRun.execute(spec, ProgressListener.NONE);
      assertThat(o.paramsRootHex()).as("%d threads", threads).isEqualTo(DEMO_ROOT);
    }
  }
}
