package io.tensorlink.chain.validator;

import io.tensorlink.chain.follow.SuiteChainEvents;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.chain.validator.suite.SuiteAnchorClient;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Child process of {@link ValidatorCrashTest}: validator #1 on its store, following the anvil the
 * parent runs, fed by this process with the job's records and with two competing valid headers
 * per block (proposed by validators #2 and #3, in random order); #2 also attests the headers this
 * validator proposes itself. The two headers of a block draw their randomness from two different
 * recent chain blocks (fixed per block within one life; a restarted life picks new ones). It anchors with #2 or #3 as soon as it signed. Prints {@code signed <index> <hash>} after each of its attestations was published.
 * The parent kills it with SIGKILL at random points.
 *
 * <p>args: storeDir rpcUrl deploymentDir chainId jobId seed
 */
public final class ValidatorCrashMain {
  private ValidatorCrashMain() {}

  public static void main(final String[] args) throws Exception {
    final Path storeDir = Path.of(args[0]);
    final Web3j web3j = Web3j.build(new HttpService(args[1]));
    final Deployment deployment = new DeploymentStore(Path.of(args[2])).require(Long.parseLong(args[3]));
    final BigInteger jobId = new BigInteger(args[4]);
    final Random random = new Random(Long.parseLong(args[5]));
    final MnemonicAccounts accounts = new MnemonicAccounts(DevnetGenesis.load(DevnetGenesis.locate(Path.of(""))).mnemonic());
    final Credentials me = accounts.account(1);
    final List<Credentials> proposers = List.of(accounts.account(2), accounts.account(3));
    final Credentials stage0 = accounts.account(4);
    final Credentials stage1 = accounts.account(5);
    final ContractSuite suite = ContractSuite.connect(web3j, me, deployment);
    final TestProtocol protocol = new TestProtocol();
    final RecordingTransport transport = new RecordingTransport();
    final String myAddress = EthAddress.lower(me.getAddress());
    final Set<String> printed = new HashSet<>();
    final Set<String> answered = new HashSet<>();
    final Map<Long, Long> baseBlock = new HashMap<>();
    final SuiteChainEvents events = new SuiteChainEvents(web3j, deployment);
    try (NodeStore store = NodeStore.open(storeDir)) {
      final Validator v = Validator.builder()
          .store(store)
          .chainEvents(events)
          .anchor(new SuiteAnchorClient(suite, web3j))
          .disputes(new RecordingDisputes(me.getAddress()))
          .transport(transport)
          .signer(new Eip712Signer(me, suite.polDomain()))
          .format(protocol)
          .verifier(protocol)
          .inspector(protocol)
          .config(ValidatorConfig.defaults().withConfirmations(0).withLeaderTimeout(Duration.ofMillis(300))
              .withSubmitGrace(Duration.ZERO).withActiveSetRefresh(Duration.ofSeconds(30)))
          .build();
      v.start();
      System.out.println("ready");
      System.out.flush();
      while (true) {
        v.tick();
        final JobState job = v.job(jobId).orElseThrow();
        for (long step = job.nextStep(); step < job.nextStep() + TestProtocol.BLOCK_STEPS; step++) {
          v.onStepRecord(jobId, TestProtocol.record(jobId, step, 0, stage0.getAddress(), "s0@" + step));
          v.onStepRecord(jobId, TestProtocol.record(jobId, step, 1, stage1.getAddress(), "s1@" + step));
        }
        // Randomness from blocks mined after this validator had the records (its tick marks them
        // complete at or after the block where they were first fed): the randomness rule.
        final long base = baseBlock.computeIfAbsent(job.nextIndex(), i -> events.head() + 4);
        if (events.head() >= base) {
          final int first = random.nextInt(2);
          for (int k = 0; k < 2; k++) {
            final int variant = (first + k) % 2;
            v.onPolMessage(proposal(protocol, store, job, events, base - variant, proposers.get(variant), suite));
          }
        }
        // The simulated validator #2 also attests what this validator proposes when it leads a round
        // (after a restart it may lead with its own header before the two above arrive).
        for (final PolMessage m : transport.published) {
          if (m instanceof PolMessage.Proposal p && p.proposer().validator().toString().equalsIgnoreCase(myAddress)
              && answered.add(p.proposer().blockHash().toHexString())) {
            final BlockCandidate proposed = protocol.decode(p.header());
            v.onPolMessage(new PolMessage.Vote(proposed.jobId(), proposed.index(),
                new Eip712Signer(proposers.get(0), suite.polDomain()).attest(proposed.blockHash(), List.of())).encode());
          }
        }
        for (final PolMessage m : transport.published) {
          final long index = switch (m) {
            case PolMessage.Vote vote -> vote.index();
            case PolMessage.Proposal p -> protocol.decode(p.header()).index();
          };
          final io.tensorlink.chain.pol.Attestation a = switch (m) {
            case PolMessage.Vote vote -> vote.attestation();
            case PolMessage.Proposal p -> p.proposer();
          };
          if (!a.validator().toString().equalsIgnoreCase(myAddress)) {
            continue;
          }
          final String line = "signed " + index + " " + a.blockHash().toHexString();
          if (printed.add(line)) {
            System.out.println(line);
            System.out.flush();
          }
        }
        Thread.sleep(20);
      }
    }
  }

  /** The job's next block over randomness from chain block {@code randomnessBlock}, proposed by {@code by}. */
  private static byte[] proposal(final TestProtocol protocol, final NodeStore store, final JobState job, final SuiteChainEvents events,
      final long randomnessBlock, final Credentials by, final ContractSuite suite) {
    final BlockCandidate header = protocol.build(job, job.nextIndex(), job.head(), job.nextStep(),
        store.records(job.jobId(), job.nextStep(), job.nextStep() + TestProtocol.BLOCK_STEPS),
        new ChainRandomness(randomnessBlock, events.blockHash(randomnessBlock).orElseThrow())).orElseThrow();
    return new PolMessage.Proposal(header.encoded(), new Eip712Signer(by, suite.polDomain()).attest(header.blockHash(), List.of()))
        .encode();
  }
}
