package io.tensorlink.chain.xmr;

import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.monero.escrow.AddressCommitment;
import io.tensorlink.monero.escrow.EscrowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The on-chain commitment of XMR escrow addresses ({@code contracts/src/XmrEscrowRegistry.sol}): the
 * client commits keccak256 of each (job, worker) escrow's multisig address once, after the setup and
 * before funding; every party then {@link #verify}s the address it computed against it. Escrow ids
 * follow {@link XmrEscrows#escrowId}: {@code job-<jobId>/<worker account>}.
 */
public final class XmrEscrowCommitment implements AddressCommitment {
  private static final long COMMIT_GAS = 120_000;
  /** The registry's custom errors by selector, to say why a commit would revert. */
  private static final Map<String, String> ERRORS = Map.of(
      selector("XmrEscrowZeroHash()"), "the commitment is zero",
      selector("XmrEscrowNotClient(uint256,address)"), "only the job's client can commit its escrows",
      selector("XmrEscrowNotAssigned(uint256,address)"), "the worker is not assigned to the job",
      selector("XmrEscrowAlreadyCommitted(uint256,address,bytes32)"), "this escrow is already committed (it cannot change)");

  private final Web3j web3j;
  private final String registry;

  /**
   * @param registry the XmrEscrowRegistry's address
   */
  public XmrEscrowCommitment(final Web3j web3j, final String registry) {
    this.web3j = web3j;
    this.registry = registry;
  }

  /** The registry that {@code deployment} records (the suite deploys it next to its JobEscrow). */
  public static XmrEscrowCommitment of(final Web3j web3j, final Deployment deployment) {
    return new XmrEscrowCommitment(web3j, deployment.address(SuiteContract.XMR_ESCROW_REGISTRY));
  }

  /** keccak256 of the address's ASCII characters: what the registry stores. */
  public static byte[] addressHash(final String multisigAddress) {
    return Hash.sha3(multisigAddress.getBytes(StandardCharsets.US_ASCII));
  }

  /** The committed hash of (job, worker); empty when nothing is committed. */
  public Optional<byte[]> committed(final BigInteger jobId, final String worker) {
    final Function f = new Function("commitmentOf", List.of(new Uint256(jobId), new Address(worker)),
        List.of(new TypeReference<Bytes32>() {}));
    final String result = call(null, FunctionEncoder.encode(f)).getValue();
    final byte[] hash = Numeric.hexStringToByteArray(result);
    if (hash.length != 32) {
      throw new IllegalStateException("commitmentOf at " + registry + " answered " + result + ": is it an XmrEscrowRegistry?");
    }
    return Arrays.equals(hash, new byte[32]) ? Optional.empty() : Optional.of(hash);
  }

  /**
   * The client commits (job, worker)'s escrow to {@code multisigAddress}; simulated first, so a commit
   * that would revert is refused with the reason and nothing is sent. Returns the transaction hash.
   */
  public String commit(final TransactionManager client, final BigInteger jobId, final String worker,
      final String multisigAddress) {
    MoneroAddress.check(multisigAddress);
    final String data = FunctionEncoder.encode(new Function("commit", List.of(new Uint256(jobId), new Address(worker),
        new Bytes32(addressHash(multisigAddress))), List.of()));
    final EthCall simulated = call(client.getFromAddress(), data);
    if (simulated.isReverted()) {
      throw new EscrowException(EscrowException.Reason.REFUSED, "committing the XMR escrow of job " + jobId + " / " + worker
          + " would revert: " + reason(simulated) + "; nothing was sent");
    }
    try {
      final BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice();
      final EthSendTransaction sent = client.sendTransaction(gasPrice, BigInteger.valueOf(COMMIT_GAS), registry, data,
          BigInteger.ZERO);
      if (sent.hasError()) {
        throw new IllegalStateException("commit of job " + jobId + " / " + worker + " was not accepted: "
            + sent.getError().getMessage());
      }
      final TransactionReceipt r = new PollingTransactionReceiptProcessor(web3j, 200, 150)
          .waitForTransactionReceipt(sent.getTransactionHash());
      if (!r.isStatusOK()) {
        throw new EscrowException(EscrowException.Reason.REFUSED, "the commit transaction " + r.getTransactionHash()
            + " reverted");
      }
      return r.getTransactionHash();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot send the commit of job " + jobId + " / " + worker, e);
    } catch (final org.web3j.protocol.exceptions.TransactionException e) {
      throw new IllegalStateException("no receipt for the commit of job " + jobId + " / " + worker + ": " + e.getMessage(), e);
    }
  }

  /** Refuses unless the escrow's address is the committed one: "nothing committed" or "another address". */
  @Override
  public void verify(final String escrowId, final String multisigAddress) {
    final int slash = escrowId.indexOf('/');
    if (!escrowId.startsWith("job-") || slash < 0) {
      throw new IllegalArgumentException("escrow id " + escrowId + " is not job-<jobId>/<worker>");
    }
    final BigInteger jobId = new BigInteger(escrowId.substring(4, slash));
    final String worker = escrowId.substring(slash + 1);
    final Optional<byte[]> onChain = committed(jobId, worker);
    if (onChain.isEmpty()) {
      throw new EscrowException(EscrowException.Reason.STATE, "no on-chain commitment for " + escrowId + " in the registry "
          + registry + " yet: the client commits the multisig address before funding; do not fund or work until then");
    }
    if (!Arrays.equals(onChain.get(), addressHash(multisigAddress))) {
      throw new EscrowException(EscrowException.Reason.REFUSED, escrowId + " is committed on chain to another multisig"
          + " address (hash 0x" + HexFormat.of().formatHex(onChain.get()) + ") than this escrow's " + multisigAddress
          + ": do not fund or work");
    }
  }

  private EthCall call(final String from, final String data) {
    try {
      final EthCall c = web3j.ethCall(Transaction.createEthCallTransaction(from, registry, data),
          DefaultBlockParameterName.LATEST).send();
      if (c.hasError() && !c.isReverted()) {
        throw new IllegalStateException("eth_call to the XmrEscrowRegistry " + registry + " failed: " + c.getError().getMessage());
      }
      return c;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot reach the chain to read the XmrEscrowRegistry " + registry, e);
    }
  }

  private static String reason(final EthCall reverted) {
    final Object data = reverted.getError() == null ? null : reverted.getError().getData();
    final String hex = data == null ? "" : data.toString().replace("\"", "").toLowerCase(Locale.ROOT);
    return hex.length() >= 10 ? ERRORS.getOrDefault(hex.substring(0, 10), "reverted with " + hex) : reverted.getRevertReason();
  }

  private static String selector(final String signature) {
    return Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII))).substring(0, 10);
  }
}
