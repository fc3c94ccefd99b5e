package io.tensorlink.contracts.testing;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.pol.Randomness;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The few multi-step actions the integration tests repeat, on a {@link DeployedDevnet}. */
public final class SuiteActions {
  private final DeployedDevnet devnet;

  public SuiteActions(final DeployedDevnet devnet) {
    this.devnet = devnet;
  }

  /** Approves the StakeManager and stakes {@code amount}; returns the stake receipt. */
  public TransactionReceipt stake(final Credentials who, final BigInteger amount) throws Exception {
    final ContractSuite s = devnet.suite(who);
    s.token().approve(devnet.deployment().address(SuiteContract.STAKE_MANAGER), amount).send();
    return s.stakeManager().stake(amount).send();
  }

  public void stakeAndRegister(final Credentials who, final BigInteger amount) throws Exception {
    stake(who, amount);
    devnet.suite(who).stakeManager().registerValidator().send();
  }

  /** Verify rate of the jobs these tests create unless they say otherwise (5%). */
  public static final long DEFAULT_RATE_PPM = 50_000;

  /** Approves the escrow and creates an exact-mode job as {@code client}; returns the receipt (the job id is jobCount). */
  public TransactionReceipt createJob(
      final Credentials client, final BigInteger budget, final BigInteger pricePerStep, final long deadline) throws Exception {
    return createJob(client, budget, pricePerStep, deadline, DEFAULT_RATE_PPM);
  }

  /** As {@link #createJob(Credentials, BigInteger, BigInteger, long)} with verify rate {@code ratePpm}. */
  public TransactionReceipt createJob(final Credentials client, final BigInteger budget, final BigInteger pricePerStep,
      final long deadline, final long ratePpm) throws Exception {
    final ContractSuite s = devnet.suite(client);
    s.token().approve(devnet.deployment().address(SuiteContract.JOB_ESCROW), budget).send();
    return s.escrow().createJob(bytes32(1), budget, pricePerStep, BigInteger.valueOf(deadline), bytes32(2),
        BigInteger.valueOf(ratePpm), BigInteger.ZERO, BigInteger.ZERO).send();
  }

  /** Signs {@code header} with {@code signers} in the anchor's domain and submits it as {@code submitter}. */
  public TransactionReceipt submit(final Credentials submitter, final PoLBlock header, final List<Credentials> signers)
      throws Exception {
    final ContractSuite s = devnet.suite(submitter);
    return s.anchor().submit(header, PoLBlocks.signAll(signers, s.polDomain(), header)).send();
  }

  /** A header for job {@code jobId}: block {@code index} over [stepFrom, stepTo), with the chain's recent randomness. */
  public PoLBlock header(
      final BigInteger jobId, final long index, final byte[] parent, final long stepFrom, final long stepTo,
      final byte[] stepsRoot, final byte[] payoutsRoot) {
    return header(jobId, index, parent, stepFrom, stepTo, stepsRoot, payoutsRoot, Randomness.recent(devnet.web3j()));
  }

  /** A header with the given randomness. */
  public static PoLBlock header(
      final BigInteger jobId, final long index, final byte[] parent, final long stepFrom, final long stepTo,
      final byte[] stepsRoot, final byte[] payoutsRoot, final Randomness randomness) {
    return new PoLBlock(jobId, BigInteger.valueOf(index), parent, BigInteger.valueOf(stepFrom), BigInteger.valueOf(stepTo),
        stepsRoot, payoutsRoot, bytes32(0xc0), randomness.hash(), BigInteger.valueOf(randomness.block()));
  }

  public static byte[] bytes32(final int last) {
    final byte[] b = new byte[32];
    b[31] = (byte) last;
    return b;
  }

  public static BigInteger tl(final long whole) {
    return BigInteger.valueOf(whole).multiply(DeployedDevnet.TL);
  }
}
