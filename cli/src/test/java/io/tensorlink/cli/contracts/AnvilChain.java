package io.tensorlink.cli.contracts;

import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.contracts.devnet.AnvilProcess;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/** A real anvil for CLI tests, with the few test-only RPCs they need (time travel, snapshots, storage writes). */
final class AnvilChain implements AutoCloseable {
  private final AnvilProcess anvil;
  private final HttpService http;

  private AnvilChain(final AnvilProcess anvil) {
    this.anvil = anvil;
    this.http = new HttpService(anvil.rpcUrl());
  }

  static AnvilChain start() {
    final Optional<Path> binary = AnvilBinary.find(Path.of(""));
    Assumptions.assumeTrue(binary.isPresent(), "anvil is not installed (run ./tl setup): skipping CLI chain tests");
    final DevnetGenesis genesis = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
    try {
      final Path log = Files.createTempFile("anvil-cli-", ".log");
      log.toFile().deleteOnExit();
      return new AnvilChain(AnvilProcess.start(binary.get(), genesis, 0, log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String rpcUrl() {
    return anvil.rpcUrl();
  }

  void advanceTime(final long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  /** Writes one storage word of a contract (anvil_setStorageAt), to put a contract in a state no transaction reaches. */
  void setStorageAt(final String address, final long slot, final String value) {
    rpc("anvil_setStorageAt", List.of(address, org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(java.math.BigInteger.valueOf(slot), 64), value));
  }

  String snapshot() {
    return String.valueOf(rpc("evm_snapshot", List.of()));
  }

  void revert(final String id) {
    rpc("evm_revert", List.of(id));
  }

  private Object rpc(final String method, final List<?> params) {
    try {
      final Response<?> r = new Request<>(method, params, http, AnyResponse.class).send();
      if (r.hasError()) {
        throw new IllegalStateException(method + ": " + r.getError().getMessage());
      }
      return r.getResult();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON-RPC answer whose result is kept as whatever JSON value it is. */
  public static final class AnyResponse extends Response<Object> {}

  @Override
  public void close() {
    anvil.close();
  }
}
