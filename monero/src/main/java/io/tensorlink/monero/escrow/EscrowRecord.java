package io.tensorlink.monero.escrow;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.rpc.WalletRpc.Destination;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One party's persistent state of one escrow: what it sent and received in each setup round, the agreed
 * address, its funding, a payout it built but has not seen submitted, the transactions it co-signed and
 * the settlements with their proofs. Written by {@link EscrowStore} after every step, before the step's
 * result leaves the node, so a restarted node resumes where it stopped.
 *
 * <p>Mutable; owned and guarded by one {@link EscrowParty}, which hands out {@link #copy()}s.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class EscrowRecord {
  private final EscrowTerms terms;
  private final Role role;
  private final String walletFile;
  /** round → this party's key-exchange message. */
  private final Map<Integer, String> ownRounds = new TreeMap<>();
  /** round → role → the other parties' messages. */
  private final Map<Integer, Map<Role, String>> peerRounds = new TreeMap<>();
  /** The multisig address each other party stated in round 3. */
  private final Map<Role, String> peerAddresses = new EnumMap<>(Role.class);
  private boolean walletCreated;
  /** A wallet call of this round was started; if its result was not stored, the wallet moved on without us. */
  private int roundInFlight;
  private String multisigAddress;
  private boolean ready;
  private boolean fundingStarted;
  private Funding funding;
  private Pending pending;
  /** sha256(tx set) → what this party did as co-signer. */
  private final Map<String, Cosigned> cosigned = new TreeMap<>();
  private final List<Settlement> settlements = new ArrayList<>();

  @JsonCreator
  EscrowRecord(@JsonProperty("terms") final EscrowTerms terms, @JsonProperty("role") final Role role,
      @JsonProperty("walletFile") final String walletFile) {
    this.terms = terms;
    this.role = role;
    this.walletFile = walletFile;
  }

  public EscrowTerms terms() {
    return terms;
  }

  public Role role() {
    return role;
  }

  public String walletFile() {
    return walletFile;
  }

  /** The highest setup round this party has its own message for (0..3); the escrow is usable when {@link #ready()}. */
  public int setupRound() {
    return ownRounds.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  public boolean ready() {
    return ready;
  }

  public Optional<String> multisigAddress() {
    return Optional.ofNullable(multisigAddress);
  }

  public Optional<Funding> funding() {
    return Optional.ofNullable(funding);
  }

  public Optional<Pending> pending() {
    return Optional.ofNullable(pending);
  }

  public List<Settlement> settlements() {
    return List.copyOf(settlements);
  }

  /** A deep copy (through the stored JSON form), for readers outside the owning party's lock. */
  EscrowRecord copy() {
    return parse(toJson());
  }

  /** The stored JSON form (plaintext: {@link EscrowStore} encrypts it). */
  byte[] toJson() {
    try {
      return EscrowJson.CANONICAL.writeValueAsBytes(this);
    } catch (final java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot encode the escrow record of " + terms.escrowId(), e);
    }
  }

  /** A record from its JSON form ({@link #toJson()}), e.g. to import or inspect one. */
  public static EscrowRecord parse(final byte[] json) {
    try {
      return EscrowJson.CANONICAL.readValue(json, EscrowRecord.class);
    } catch (final java.io.IOException e) {
      throw new java.io.UncheckedIOException("not an escrow record: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  public Optional<Settlement> settlement(final Settlement.Kind kind) {
    return settlements.stream().filter(s -> s.kind() == kind).findFirst();
  }

  Optional<String> ownRound(final int round) {
    return Optional.ofNullable(ownRounds.get(round));
  }

  Map<Role, String> peerRound(final int round) {
    return peerRounds.getOrDefault(round, Map.of());
  }

  Map<Role, String> peerAddresses() {
    return peerAddresses;
  }

  boolean walletCreated() {
    return walletCreated;
  }

  void markWalletCreated() {
    walletCreated = true;
  }

  int roundInFlight() {
    return roundInFlight;
  }

  void startRound(final int round) {
    roundInFlight = round;
  }

  void putOwnRound(final int round, final String info, final String address) {
    ownRounds.put(round, info);
    roundInFlight = 0;
    if (address != null) {
      multisigAddress = address;
    }
  }

  void putPeerRound(final int round, final Role from, final String info, final String address) {
    peerRounds.computeIfAbsent(round, r -> new EnumMap<>(Role.class)).put(from, info);
    if (address != null) {
      peerAddresses.put(from, address);
    }
  }

  void markReady() {
    ready = true;
  }

  boolean fundingStarted() {
    return fundingStarted;
  }

  void startFunding() {
    fundingStarted = true;
  }

  void stopFunding() {
    fundingStarted = false;
  }

  void setFunding(final Funding f) {
    funding = f;
  }

  void setPending(final Pending p) {
    pending = p;
  }

  Optional<Cosigned> cosigned(final String txsetHash) {
    return Optional.ofNullable(cosigned.get(txsetHash));
  }

  void putCosigned(final String txsetHash, final Cosigned c) {
    cosigned.put(txsetHash, c);
  }

  void addSettlement(final Settlement s) {
    settlements.removeIf(x -> x.txHashes().equals(s.txHashes()));
    settlements.add(s);
  }

  /** The client's deposit into the escrow: tx id, tx key and the OutProof the client's wallet made. */
  public record Funding(String txid, String txKey, long amount, long fee, PaymentProof proof) {}

  /** A payout this party built and proposed but has not seen submitted: re-proposed as is on restart. */
  public record Pending(Settlement.Kind kind, String cosigner, String multisigTxset, String txKey,
      List<Destination> destinations) {}

  /** A tx set this party signed as co-signer; {@code settlement} is set once it was submitted. */
  public record Cosigned(Settlement.Kind kind, String signedTxDataHex, List<String> txHashes, String txKey,
      Settlement settlement) {}
}
