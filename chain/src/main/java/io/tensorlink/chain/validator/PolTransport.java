package io.tensorlink.chain.validator;

import java.math.BigInteger;
import java.util.function.Consumer;

/**
 * The validator's network: step records in on {@code /tl/steps/1/<jobId>}, proposals and
 * attestations both ways on {@code /tl/pol/1}. Handlers run on the transport's threads.
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

  @Override
  void close();
}
