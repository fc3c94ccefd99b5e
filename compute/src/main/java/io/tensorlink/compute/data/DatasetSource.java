package io.tensorlink.compute.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Opens a dataset from a one-string description (what {@code tl-cli train --dataset} takes):
 *
 * <ul>
 *   <li>{@code fashion-mnist} or {@code fashion-mnist:<dir>}: the IDX files, default
 *       {@link FashionMnist#DEFAULT_DIR};
 *   <li>{@code text:<file>}: a character corpus; the context length is the model's input length,
 *       the last 10% of the text is the test split;
 *   <li>{@code synthetic} or {@code synthetic:<samples>}: generated data shaped like the model's
 *       input (images for rank-3 inputs, Gaussian blobs for rank 1), 10 classes, for runs
 *       without files.
 * </ul>
 */
public final class DatasetSource {

  private static final int SYNTHETIC_CLASSES = 10;
  private static final int SYNTHETIC_DEFAULT_SAMPLES = 4096;
  private static final double TEXT_TRAIN_FRACTION = 0.9;

  private DatasetSource() {}

  /**
   * @param modelInput the model's per-sample input shape, which sizes the text and synthetic sets
   * @param seed seeds generated data
   */
  public static Splits open(final String spec, final int[] modelInput, final long seed) {
    final int colon = spec.indexOf(':');
    final String kind = colon < 0 ? spec : spec.substring(0, colon);
    final Optional<String> arg = colon < 0 ? Optional.empty() : Optional.of(spec.substring(colon + 1));
    return switch (kind) {
      case "fashion-mnist" -> FashionMnist.load(arg.map(Path::of).orElse(FashionMnist.DEFAULT_DIR));
      case "text" -> {
        if (modelInput.length != 1) {
          throw new DatasetException("dataset " + spec + " gives token sequences, but the model input has shape "
              + Arrays.toString(modelInput));
        }
        yield CharCorpus.load(Path.of(arg.orElseThrow(
            () -> new DatasetException("dataset text needs a file: text:<path>"))), modelInput[0])
            .split(TEXT_TRAIN_FRACTION);
      }
      case "synthetic" -> synthetic(arg.map(a -> parseCount(spec, a)).orElse(SYNTHETIC_DEFAULT_SAMPLES), modelInput, seed);
      default -> throw new DatasetException(
          "unknown dataset '" + spec + "' (expected fashion-mnist[:dir], text:<file> or synthetic[:samples])");
    };
  }

  private static Splits synthetic(final int samples, final int[] input, final long seed) {
    final int test = Math.max(1, samples / 5);
    final Dataset all;
    if (input.length == 3) {
      all = GeneratedData.images(samples + test, input[0], input[1], input[2], SYNTHETIC_CLASSES, 0.5f, seed);
    } else if (input.length == 1) {
      all = GeneratedData.blobs(samples + test, input[0], SYNTHETIC_CLASSES, 3f, seed);
    } else {
      throw new DatasetException("synthetic data needs a model input of rank 1 or 3, got "
          + Arrays.toString(input));
    }
    // One generated set cut in two, so train and test share the class structure.
    return new Splits(new DatasetRange(all, 0, samples), Optional.of(new DatasetRange(all, samples, test)));
  }

  private static int parseCount(final String spec, final String text) {
    try {
      final int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DatasetException("dataset " + spec + ": sample count '" + text + "' is not a positive integer");
  }
}
