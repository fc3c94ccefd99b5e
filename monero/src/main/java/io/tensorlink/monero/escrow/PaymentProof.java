package io.tensorlink.monero.escrow;

/**
 * A {@code get_tx_proof} OutProof: the escrow paid {@code amount} piconero to {@code address} in
 * {@code txid}. Anyone with a wallet on the same chain checks it with {@code check_tx_proof(txid, address,
 * message, signature)}; {@code message} is the escrow id, so a proof cannot be passed off for another job.
 */
public record PaymentProof(String txid, String address, long amount, String message, String signature) {}
