package io.tensorlink.chain.validator;

import io.tensorlink.contracts.deploy.Deployment;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/** {@link AnvilSuite} for tests in other packages. */
public final class AnvilSuiteAccess implements AutoCloseable {
  private final AnvilSuite suite;

  private AnvilSuiteAccess(final AnvilSuite suite) {
    this.suite = suite;
  }

  public static AnvilSuiteAccess start() {
    return new AnvilSuiteAccess(AnvilSuite.start());
  }

  public Web3j web3j() {
    return suite.web3j();
  }

  public Deployment deployment() {
    return suite.deployment();
  }

  public Credentials account(final int index) {
    return suite.account(index);
  }

  public void stakeWorker(final Credentials who) throws Exception {
    suite.stake(who, AnvilSuite.tl(1_000));
  }

  /** Stakes 40,000 TL and registers as a validator; it signs from the next epoch ({@link #nextEpoch()}). */
  public void stakeValidator(final Credentials who) throws Exception {
    suite.stakeValidator(who);
  }

  /** Moves chain time one epoch (an hour) on. */
  public void nextEpoch() {
    suite.advanceTime(3_600);
  }

  public void advanceTime(final long seconds) {
    suite.advanceTime(seconds);
  }

  public BigInteger createAssignedJob(final Credentials client, final List<Credentials> workers) throws Exception {
    return suite.createAssignedJob(client, workers);
  }

  public BigInteger createJob(final Credentials client) throws Exception {
    return suite.createJob(client);
  }

  public void cancel(final Credentials client, final BigInteger jobId) throws Exception {
    suite.suite(client).escrow().cancelJob(jobId).send();
  }

  public long head() throws Exception {
    return suite.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  public void mine(final int blocks) {
    for (int i = 0; i < blocks; i++) {
      suite.advanceTime(1);
    }
  }

  @Override
  public void close() {
    suite.close();
  }
}
