package io.tensorlink.monero.rpc;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a monerod or monero-wallet-rpc listens, its optional digest credentials ({@code --rpc-login})
 * and the per-call timeout. {@link #toString()} never prints the password.
 */
public record RpcEndpoint(URI baseUri, Optional<Credentials> credentials, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public RpcEndpoint {
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(timeout, "timeout");
    if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
      throw new IllegalArgumentException("RPC endpoint must be http(s)://host:port, got " + baseUri);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("RPC timeout must be positive, got " + timeout);
    }
  }

  public static RpcEndpoint loopback(final int port) {
    return new RpcEndpoint(URI.create("http://127.0.0.1:" + port), Optional.empty(), DEFAULT_TIMEOUT);
  }

  public RpcEndpoint withCredentials(final Credentials c) {
    return new RpcEndpoint(baseUri, Optional.of(c), timeout);
  }

  public RpcEndpoint withTimeout(final Duration t) {
    return new RpcEndpoint(baseUri, credentials, t);
  }

  @Override
  public String toString() {
    return baseUri + credentials.map(c -> " (user " + c.username() + ")").orElse("");
  }

  /** Digest-auth credentials; the password is kept out of {@link #toString()}. */
  public record Credentials(String username, String password) {
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isEmpty() || username.contains(":")) {
        throw new IllegalArgumentException("RPC username must be non-empty and without ':'");
      }
    }

    @Override
    public String toString() {
      return "Credentials[" + username + ", ****]";
    }
  }
}
