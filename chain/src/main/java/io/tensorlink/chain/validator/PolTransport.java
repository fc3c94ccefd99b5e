package io.tensorlink.chain.validator;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The validator's network: step records in on {@code /tl/steps/1/<jobId>}, proposals and
 * attestations both ways on {@code /tl/pol/1}, and records a validator missed fetched from the
 * peers that hold them. Handlers run on the transport's threads.
 */
public interface PolTransport extends AutoCloseable {
  String POL_TOPIC = "/tl/pol/1";

  static String stepsTopic(final BigInteger jobId) {
    return "/tl/steps/1/" + jobId;
  }

  void subscribeSteps(BigInteger jobId, Consumer<byte[]> handler);

  void unsubscribeSteps(BigInteger jobId);

  void subscribePol(Consumer<byte[]> handler);

  void publishPol(byte[] message);

  /**
   * Asks its peers for the records of steps [fromStep, toStep) of a job they hold.
   * Completes with what they sent, unchecked and possibly duplicated; a peer that fails to answer
   * adds nothing, so the future never fails.
   */
  CompletableFuture<List<byte[]>> fetchRecords(BigInteger jobId, long fromStep, long toStep);

  @Override
  void close();
}
