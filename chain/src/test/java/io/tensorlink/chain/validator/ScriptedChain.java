package io.tensorlink.chain.validator;

import io.tensorlink.chain.follow.ChainEvent;
import io.tensorlink.chain.follow.ChainEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.web3j.crypto.Hash;

/**
 * A chain written by the test: events at chosen block numbers, a fixed active set, and submitted
 * headers recorded. For the validator paths today's contracts cannot drive (committee votes go
 * through contracts v2's court) and for the follower's windowing.
 */
final class ScriptedChain implements ChainEvents, AnchorClient {
  private final List<ChainEvent> events = new CopyOnWriteArrayList<>();
  private final ValidatorSet set;
  final List<BlockCandidate> submitted = new CopyOnWriteArrayList<>();
  volatile long head;
  int eventQueries;

  ScriptedChain(final ValidatorSet set) {
    this.set = set;
  }

  void emit(final ChainEvent event) {
    events.add(event);
    head = Math.max(head, event.blockNumber());
  }

  @Override
  public long head() {
    return head;
  }

  @Override
  public Optional<byte[]> blockHash(final long number) {
    return number <= head ? Optional.of(Hash.sha3(java.nio.ByteBuffer.allocate(8).putLong(number).array())) : Optional.empty();
  }

  @Override
  public List<ChainEvent> events(final long from, final long to) {
    eventQueries++;
    final List<ChainEvent> out = new ArrayList<>();
    for (final ChainEvent e : events) {
      if (e.blockNumber() >= from && e.blockNumber() <= to) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public ValidatorSet activeSet() {
    return set;
  }

  @Override
  public ChainRandomness recentRandomness() {
    return new ChainRandomness(head, blockHash(head).orElseThrow());
  }

  @Override
  public String submit(final BlockCandidate header, final List<byte[]> signatures) {
    submitted.add(header);
    return "0x" + "00".repeat(32);
  }
}
