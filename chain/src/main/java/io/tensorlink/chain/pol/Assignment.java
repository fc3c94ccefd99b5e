package io.tensorlink.chain.pol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * Which worker runs each (stage, replica) cell of a job, plus ordered standbys. A pure function of
 * the job, its valid bids and chain randomness ({@link #compute}), so every node derives the same
 * assignment and {@code JobEscrow.assign} records its {@link #hash()}.
 *
 * @param workers stage-major: cell {@code stage·replicas + replica}
 */
public record Assignment(BigInteger jobId, Bytes32 randomness, int stages, int replicas, List<EthAddress> workers,
    List<EthAddress> standbys) {

  public static final String TYPE = "Assignment(uint256 jobId,bytes32 randomness,uint32 stages,uint32 replicas,"
      + "address[] workers,address[] standbys)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);

  public Assignment {
    Checks.uint256("jobId", jobId);
    Checks.present("randomness", randomness);
    Checks.topology(0, 0, stages, replicas);
    workers = List.copyOf(workers);
    standbys = List.copyOf(standbys);
    if (workers.size() != (long) stages * replicas) {
      throw new IllegalArgumentException("assignment has " + workers.size() + " workers for " + stages + "x" + replicas
          + " cells");
    }
    if (workers.stream().distinct().count() + standbys.stream().distinct().count() != workers.size() + standbys.size()
        || standbys.stream().anyMatch(workers::contains)) {
      throw new IllegalArgumentException("a worker appears twice in the assignment");
    }
  }

  /**
   * Sorts the valid bids by price (ascending), ties by {@code keccak256(randomness ‖ worker)}, gives
   * the first {@code stages × replicas} the cells in stage-major order and the next {@code
   * standbyCount} the standby list. A bid is valid when its signature is its worker's, it is for
   * this job, still open at {@code bidDeadline}, at most {@code maxPrice}, and on a backend the
   * job's mode allows; a worker's later bids are ignored (the first valid one counts).
   *
   * @throws IllegalArgumentException when fewer valid bidders than cells remain
   */
  public static Assignment compute(final BigInteger jobId, final int stages, final int replicas, final int standbyCount,
      final List<Bid> bids, final Bytes32 randomness, final long bidDeadline, final BigInteger maxPrice,
      final boolean cudaAllowed, final PolDomain domain) {
    final Map<EthAddress, Bid> byWorker = new LinkedHashMap<>();
    for (final Bid b : bids) {
      if (b.jobId().equals(jobId) && b.expiresAt() >= bidDeadline && b.pricePerStep().compareTo(maxPrice) <= 0
          && (cudaAllowed || b.backend() == Bid.Backend.CPU) && b.signatureValid(domain)) {
        byWorker.putIfAbsent(b.worker(), b);
      }
    }
    final List<Bid> sorted = new ArrayList<>(byWorker.values());
    sorted.sort(Comparator.comparing(Bid::pricePerStep).thenComparing(b -> tieBreak(randomness, b.worker())));
    final int cells = stages * replicas;
    if (sorted.size() < cells) {
      throw new IllegalArgumentException("job " + jobId + " needs " + cells + " workers but has " + sorted.size()
          + " valid bids");
    }
    final List<EthAddress> order = sorted.stream().map(Bid::worker).toList();
    return new Assignment(jobId, randomness, stages, replicas, order.subList(0, cells),
        order.subList(cells, Math.min(order.size(), cells + standbyCount)));
  }

  private static Bytes32 tieBreak(final Bytes32 randomness, final EthAddress worker) {
    final byte[] packed = new byte[52];
    System.arraycopy(randomness.toArrayUnsafe(), 0, packed, 0, 32);
    System.arraycopy(worker.value().toArrayUnsafe(), 0, packed, 32, 20);
    return Bytes32.wrap(Hash.sha3(packed));
  }

  public EthAddress worker(final int stage, final int replica) {
    Checks.topology(stage, replica, stages, replicas);
    return workers.get(stage * replicas + replica);
  }

  /** The (stage, replica) cells {@code worker} holds (a worker holds at most one). */
  public Optional<int[]> cellOf(final EthAddress worker) {
    final int i = workers.indexOf(worker);
    return i < 0 ? Optional.empty() : Optional.of(new int[] {i / replicas, i % replicas});
  }

  /** EIP-712 hashStruct (arrays hashed as the concatenation of their 32-byte words). */
  public Bytes32 hash() {
    return Abi.words(7).bytes32(TYPE_HASH).uint(jobId).bytes32(randomness).uint64(stages).uint64(replicas)
        .bytes32(addressArrayHash(workers)).bytes32(addressArrayHash(standbys)).keccak();
  }

  private static Bytes32 addressArrayHash(final List<EthAddress> list) {
    final Abi words = Abi.words(list.size());
    list.forEach(words::address);
    return Bytes32.wrap(Hash.sha3(words.encoded()));
  }
}
