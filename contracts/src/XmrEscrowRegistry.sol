// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IJobEscrow} from "./interfaces/IJobEscrow.sol";

/// @title XmrEscrowRegistry
/// @notice The on-chain commitment of a job's Monero escrows (docs/monero.md). Each (job, worker) pair
/// paid in XMR has its own 2-of-3 multisig wallet. The job's client records that wallet's address here
/// once, as keccak256 of its 95 ASCII characters, and it can never be changed afterwards. Before
/// funding or working, every party checks that the address it computed in the setup is the committed
/// one. So the client cannot later point anyone (the worker, the arbiter, a dispute) at another
/// address. The contract holds no funds: XMR never touches the EVM chain.
contract XmrEscrowRegistry {
    /// @notice The job escrow whose clients and assignments this registry trusts.
    IJobEscrow public immutable jobs;

    mapping(uint256 jobId => mapping(address worker => bytes32 addressHash)) private _commitments;

    /// @notice The client of job `jobId` committed the XMR escrow of `worker` to the Monero address
    /// whose keccak256 is `addressHash`.
    event XmrEscrowCommitted(uint256 indexed jobId, address indexed worker, bytes32 addressHash);

    /// @notice The job escrow address given to the constructor is zero.
    error XmrEscrowZeroAddress();
    /// @notice The commitment is zero, which would read as "nothing committed".
    error XmrEscrowZeroHash();
    /// @notice `caller` is not the client of job `jobId`.
    error XmrEscrowNotClient(uint256 jobId, address caller);
    /// @notice `worker` is not assigned to job `jobId`.
    error XmrEscrowNotAssigned(uint256 jobId, address worker);
    /// @notice The escrow of (`jobId`, `worker`) is already committed to `addressHash`.
    error XmrEscrowAlreadyCommitted(uint256 jobId, address worker, bytes32 addressHash);

    /// @param jobs_ the suite's JobEscrow
    constructor(IJobEscrow jobs_) {
        if (address(jobs_) == address(0)) revert XmrEscrowZeroAddress();
        jobs = jobs_;
    }

    /// @notice Commits the XMR escrow of an assigned worker of the caller's job to a multisig
    /// address; once per (job, worker).
    /// @param jobId the job, whose client must be the caller
    /// @param worker an assigned worker of the job
    /// @param addressHash keccak256 of the multisig address's ASCII characters
    function commit(uint256 jobId, address worker, bytes32 addressHash) external {
        if (addressHash == bytes32(0)) revert XmrEscrowZeroHash();
        if (jobs.getJob(jobId).client != msg.sender) revert XmrEscrowNotClient(jobId, msg.sender);
        if (!jobs.isAssigned(jobId, worker)) revert XmrEscrowNotAssigned(jobId, worker);
        bytes32 existing = _commitments[jobId][worker];
        if (existing != bytes32(0)) revert XmrEscrowAlreadyCommitted(jobId, worker, existing);
        _commitments[jobId][worker] = addressHash;
        emit XmrEscrowCommitted(jobId, worker, addressHash);
    }

    /// @notice The committed address hash of (`jobId`, `worker`), zero when none.
    /// @param jobId the job
    /// @param worker the worker
    /// @return addressHash keccak256 of the committed multisig address, or zero
    function commitmentOf(uint256 jobId, address worker) external view returns (bytes32 addressHash) {
        return _commitments[jobId][worker];
    }
}
