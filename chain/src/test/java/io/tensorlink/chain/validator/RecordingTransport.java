package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.Attestation;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link PolTransport} that keeps what the validator publishes, for tests that feed it messages by
 * hand; its peers hold the records in {@link #peersHold}.
 */
final class RecordingTransport implements PolTransport {
  final List<PolMessage> published = new CopyOnWriteArrayList<>();
  final List<BlockRange> fetched = new CopyOnWriteArrayList<>();
  /** What its peers answer to every request for records. */
  final List<byte[]> peersHold = new CopyOnWriteArrayList<>();

  /** Steps [fromStep, toStep) of a job the validator asked its peers for. */
  record BlockRange(BigInteger jobId, long fromStep, long toStep) {}

  @Override
  public void subscribeSteps(final BigInteger jobId, final Consumer<byte[]> handler) {}

  @Override
  public void unsubscribeSteps(final BigInteger jobId) {}

  @Override
  public void subscribePol(final Consumer<byte[]> handler) {}

  @Override
  public void publishPol(final byte[] message) {
    published.add(PolMessage.decode(message));
  }

  @Override
  public CompletableFuture<List<byte[]>> fetchRecords(final BigInteger jobId, final long fromStep, final long toStep) {
    fetched.add(new BlockRange(jobId, fromStep, toStep));
    return CompletableFuture.completedFuture(List.copyOf(peersHold));
  }

  /** Every attestation published by {@code validator}, from votes and proposals alike. */
  List<Attestation> attestationsBy(final String validator) {
    return published.stream()
        .map(m -> switch (m) {
          case PolMessage.Vote v -> v.attestation();
          case PolMessage.Proposal p -> p.proposer();
        })
        .filter(a -> a.validator().toString().equalsIgnoreCase(validator))
        .toList();
  }

  @Override
  public void close() {}
}
