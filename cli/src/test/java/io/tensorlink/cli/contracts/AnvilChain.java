package io.tensorlink.cli.contracts;

import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.contracts.devnet.AnvilProcess;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** A real anvil for CLI tests, with the few test-only RPCs they need (time travel, snapshots). */
final class AnvilChain implements AutoCloseable {
  private final AnvilProcess anvil;
  private final HttpClient http = HttpClient.newHttpClient();

  private AnvilChain(final AnvilProcess anvil) {
    this.anvil = anvil;
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
    rpc("evm_increaseTime", "[" + seconds + "]");
    rpc("evm_mine", "[]");
  }

  String snapshot() {
    final String body = rpc("evm_snapshot", "[]");
    final int at = body.indexOf("\"result\":\"") + "\"result\":\"".length();
    return body.substring(at, body.indexOf('"', at));
  }

  void revert(final String id) {
    rpc("evm_revert", "[\"" + id + "\"]");
  }

  private String rpc(final String method, final String params) {
    final HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}"))
        .build();
    try {
      final String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains("\"error\"")) {
        throw new IllegalStateException(method + ": " + body);
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    anvil.close();
  }
}
