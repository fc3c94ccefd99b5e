package io.tensorlink.compute.data;

import io.tensorlink.compute.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A character-level next-token corpus from a UTF-8 text file. The vocabulary is the sorted set
 * of distinct code points in the text (so it depends only on the file's contents). Sample
 * {@code i} is the window of {@code context} tokens starting at position {@code i·stride} (stride 1
 * for training corpora); its labels
 * are the same window shifted by one. Inputs hold token ids as exact floats, shape {@code [T]}.
 */
public final class CharCorpus implements Dataset {

  private final String name;
  private final int[] tokens;
  private final int[] vocabulary;
  private final int context;
  private final int stride;

  private CharCorpus(final String name, final int[] tokens, final int[] vocabulary, final int context,
      final int stride) {
    this.name = name;
    this.tokens = tokens;
    this.vocabulary = vocabulary;
    this.context = context;
    this.stride = stride;
  }

  /** Reads {@code file} (UTF-8) into windows of {@code context} tokens. */
  public static CharCorpus load(final Path file, final int context) {
    final String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetException(file + ": not valid UTF-8 text (" + e + ")", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read (" + e + ")", e);
    }
    return fromText(file.getFileName().toString(), text, context);
  }

  public static CharCorpus fromText(final String name, final String text, final int context) {
    if (context <= 0) {
      throw new IllegalArgumentException("context length must be positive, got " + context);
    }
    final int[] codePoints = text.codePoints().toArray();
    if (codePoints.length < context + 1) {
      throw new DatasetException(name + ": " + codePoints.length + " characters is too short for a context of "
          + context + " (need at least " + (context + 1) + ")");
    }
    final int[] vocabulary = Arrays.stream(codePoints).distinct().sorted().toArray();
    final int[] tokens = new int[codePoints.length];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = Arrays.binarySearch(vocabulary, codePoints[i]);
    }
    return new CharCorpus(name, tokens, vocabulary, context, 1);
  }

  /**
   * Splits the text at {@code trainFraction} of its length into a training corpus and a held-out
   * corpus sharing this vocabulary (windows never straddle the cut). The held-out windows do not
   * overlap (stride = context), so evaluating it predicts each held-out character once.
   */
  public Splits split(final double trainFraction) {
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
    }
    final int cut = (int) (tokens.length * trainFraction);
    if (cut < context + 1 || tokens.length - cut < context + 1) {
      throw new DatasetException(name + ": " + tokens.length + " characters are too few to split at "
          + trainFraction + " with a context of " + context);
    }
    return new Splits(
        new CharCorpus(name + "[train]", Arrays.copyOfRange(tokens, 0, cut), vocabulary, context, stride),
        Optional.of(
            new CharCorpus(name + "[test]", Arrays.copyOfRange(tokens, cut, tokens.length), vocabulary, context,
                context)));
  }

  /** The code point of token {@code id}. */
  public int codePoint(final int id) {
    return vocabulary[id];
  }

  /** The token id of {@code codePoint}, or -1 when it is not in the vocabulary. */
  public int tokenOf(final int codePoint) {
    final int i = Arrays.binarySearch(vocabulary, codePoint);
    return i >= 0 ? i : -1;
  }

  public int context() {
    return context;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return (tokens.length - context - 1) / stride + 1;
  }

  @Override
  public int[] sampleShape() {
    return new int[] {context};
  }

  @Override
  public int classes() {
    return vocabulary.length;
  }

  @Override
  public Batch batch(final int[] indices) {
    final float[] x = new float[indices.length * context];
    final int[] y = new int[indices.length * context];
    for (int b = 0; b < indices.length; b++) {
      checkIndex(indices[b]);
      final int start = indices[b] * stride;
      for (int t = 0; t < context; t++) {
        x[b * context + t] = tokens[start + t];
        y[b * context + t] = tokens[start + t + 1];
      }
    }
    return new Batch(Tensor.of(x, indices.length, context), y);
  }
}
