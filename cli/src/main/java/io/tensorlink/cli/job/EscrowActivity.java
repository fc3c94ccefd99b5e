package io.tensorlink.cli.job;

import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.pol.Logs;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import java.math.BigInteger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * What a job's escrow events say (since the deployment's start block): TL paid out for the job's
 * work (workers' {@code PayoutClaimed} plus validators' {@code FeeClaimed}; refunds are not
 * payments, which is why the escrow's {@code released} is not used) and how many workers the
 * latest {@code JobAssigned} named (null before the assignment).
 */
record EscrowActivity(BigInteger paid, Integer workers) {
  private static final String PAYOUT = EventEncoder.encode(JobEscrow.PAYOUTCLAIMED_EVENT);
  private static final String FEE = EventEncoder.encode(JobEscrow.FEECLAIMED_EVENT);
  private static final String ASSIGNED = EventEncoder.encode(JobEscrow.JOBASSIGNED_EVENT);

  static EscrowActivity read(final ChainSession session, final ContractSuite s, final BigInteger jobId) {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(s.deployment().startBlock()),
        DefaultBlockParameterName.LATEST, s.escrow().getContractAddress());
    filter.addOptionalTopics(PAYOUT, FEE, ASSIGNED);
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(jobId, 64));
    BigInteger paid = BigInteger.ZERO;
    Integer workers = null;
    for (final Log log : Logs.get(session, filter)) {
      final String topic = log.getTopics().get(0);
      if (PAYOUT.equalsIgnoreCase(topic)) {
        paid = paid.add(JobEscrow.getPayoutClaimedEventFromLog(log).amount);
      } else if (FEE.equalsIgnoreCase(topic)) {
        paid = paid.add(JobEscrow.getFeeClaimedEventFromLog(log).amount);
      } else {
        workers = JobEscrow.getJobAssignedEventFromLog(log).workers.size();
      }
    }
    return new EscrowActivity(paid, workers);
  }
}
