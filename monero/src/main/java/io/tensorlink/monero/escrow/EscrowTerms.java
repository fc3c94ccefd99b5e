package io.tensorlink.monero.escrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * What the three parties agree on before the first setup round, fixed by the job (one escrow per job and
 * worker). Every setup and payout message carries {@link #hash()}, so a message for other terms is
 * rejected. Amounts are piconero.
 *
 * @param escrowId unique per (job, worker), e.g. {@code job-42/0xabc…}; also the proof message
 * @param parties the signer id of each role (how {@link MessageSigner}s identify themselves)
 * @param deposit what the client locks
 * @param pricePerStep piconero per verified step
 * @param arbiterFee paid to the arbiter with the release
 * @param maxTxFee the most a co-signer accepts as the network fee of one escrow transaction
 * @param workerAddress where the worker's pay goes (any wallet: Feather, GUI, CLI)
 * @param clientRefundAddress where the remainder goes
 * @param arbiterAddress where the arbiter's fee goes
 */
public record EscrowTerms(String escrowId, Map<Role, String> parties, long deposit, long pricePerStep,
    long arbiterFee, long maxTxFee, String workerAddress, String clientRefundAddress, String arbiterAddress) {

  public EscrowTerms {
    Objects.requireNonNull(escrowId, "escrowId");
    if (escrowId.isBlank() || escrowId.length() > 200) {
      throw new IllegalArgumentException("escrowId must be 1..200 characters");
    }
    parties = Map.copyOf(parties);
    for (final Role r : Role.values()) {
      if (!parties.containsKey(r)) {
        throw new IllegalArgumentException("terms lack the " + r + " party");
      }
    }
    if (parties.values().stream().distinct().count() != 3) {
      throw new IllegalArgumentException("client, worker and arbiter must be three different signers");
    }
    if (deposit <= 0 || pricePerStep <= 0 || arbiterFee < 0 || maxTxFee <= 0) {
      throw new IllegalArgumentException("deposit, price per step and max tx fee must be positive, the fee >= 0");
    }
    if (arbiterFee + 2 * maxTxFee >= deposit) {
      throw new IllegalArgumentException("deposit " + deposit + " does not cover the arbiter fee and two tx fees");
    }
    Objects.requireNonNull(workerAddress, "workerAddress");
    Objects.requireNonNull(clientRefundAddress, "clientRefundAddress");
    Objects.requireNonNull(arbiterAddress, "arbiterAddress");
  }

  public String party(final Role role) {
    return parties.get(role);
  }

  /** The role of a signer id, if it is one of the three. */
  public java.util.Optional<Role> roleOf(final String signerId) {
    return parties.entrySet().stream().filter(e -> e.getValue().equals(signerId)).map(Map.Entry::getKey).findFirst();
  }

  /** The most the worker can ever be paid: the deposit less the arbiter fee and room for two tx fees. */
  public long workerCap() {
    return deposit - arbiterFee - 2 * maxTxFee;
  }

  /** SHA-256 of the canonical JSON (sorted keys), hex. */
  public String hash() {
    try {
      final byte[] json = EscrowJson.CANONICAL.writeValueAsBytes(this);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (final JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash escrow terms", e);
    }
  }
}
