package io.tensorlink.monero.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.WalletServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real wallet-rpc with {@code --rpc-login}: digest auth, refusals and error mapping. No daemon is needed for these calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletRpcLoginTest {
  private static final RpcEndpoint.Credentials LOGIN = new RpcEndpoint.Credentials("tl", "correct horse");
  private WalletServer server;

  @BeforeAll
  void start(@TempDir final Path dir) {
    final Optional<MoneroBinaries> bin = MoneroBinaries.find();
    if (bin.isEmpty()) {
      System.out.println("SKIPPED WalletRpcLoginTest: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(bin.isPresent(), MoneroBinaries.INSTALL_HINT);
    // Port 1 on loopback: no daemon; wallet-rpc starts anyway and answers calls that need none.
    server = WalletServer.start(bin.get(), "login", dir, "127.0.0.1:1", Optional.of(LOGIN));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void digestAuthWithTheRightPasswordWorksRepeatedly() {
    assertThat(server.rpc().version()).isPositive();
    assertThat(server.rpc().version()).isPositive();
  }

  @Test
  void wrongOrMissingCredentialsAreUnauthorized() {
    final URI uri = server.endpoint().baseUri();
    final WalletRpc wrong = new WalletRpc(new RpcEndpoint(uri, Optional.of(new RpcEndpoint.Credentials("tl", "wrong")), Duration.ofSeconds(20)));
    assertThatThrownBy(wrong::version).isInstanceOf(MoneroRpcException.class).hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("wrong").extracting(e -> ((MoneroRpcException) e).kind()).isEqualTo(MoneroErrorKind.UNAUTHORIZED);
    final WalletRpc none = new WalletRpc(new RpcEndpoint(uri, Optional.empty(), Duration.ofSeconds(20)));
    assertThatThrownBy(none::version).extracting(e -> ((MoneroRpcException) e).kind()).isEqualTo(MoneroErrorKind.UNAUTHORIZED);
  }

  @Test
  void serverErrorsNameTheMethodTheCodeAndAHint() {
    assertThatThrownBy(() -> server.rpc().openWallet("no-such-wallet", "")).isInstanceOf(MoneroRpcException.class)
        .hasMessageStartingWith("open_wallet failed (code -1)");
    assertThatThrownBy(() -> server.rpc().address()).isInstanceOf(MoneroRpcException.class)
        .hasMessageContaining("get_address failed (code -13)").hasMessageContaining("no wallet is open")
        .extracting(e -> ((MoneroRpcException) e).kind()).isEqualTo(MoneroErrorKind.WALLET_NOT_OPEN);
  }

  @Test
  void nobodyListeningIsUnreachable() {
    final WalletRpc gone = new WalletRpc(RpcEndpoint.loopback(1).withTimeout(Duration.ofSeconds(5)));
    assertThatThrownBy(gone::version).hasMessageContaining("cannot connect to http://127.0.0.1:1")
        .extracting(e -> ((MoneroRpcException) e).kind()).isEqualTo(MoneroErrorKind.UNREACHABLE);
  }
}
