package io.tensorlink.contracts.deploy;

/**
 * One contract of a deployment, or one wiring call.
 *
 * @param name Solidity contract name, or {@code Contract.function} for a wiring call
 * @param address the contract address
 * @param transactionHash the creating (or calling) transaction
 * @param blockNumber the block that mined it
 * @param gasUsed gas the transaction used
 */
public record DeployedContract(String name, String address, String transactionHash, long blockNumber, long gasUsed) {}
