package io.tensorlink.contracts;

/**
 * The deployable contracts of the TensorLink suite, by their Solidity names. Their ABIs are
 * bundled as resources at build time (see {@code contracts/pom.xml}) so reverts can be decoded
 * without the forge artifacts at run time.
 */
public enum SuiteContract {
  TOKEN("TensorLinkToken"),
  STAKE_MANAGER("StakeManager"),
  JOB_ESCROW("JobEscrow"),
  POL_ANCHOR("PoLAnchor"),
  DISPUTE_COURT("DisputeCourt"),
  XMR_ESCROW_REGISTRY("XmrEscrowRegistry");

  private final String solidityName;

  SuiteContract(final String solidityName) {
    this.solidityName = solidityName;
  }

  public String solidityName() {
    return solidityName;
  }

  /** Classpath resource holding this contract's ABI JSON array. */
  public String abiResource() {
    return "io/tensorlink/contracts/abi/" + solidityName + ".json";
  }
}
