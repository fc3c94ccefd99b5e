package io.tensorlink.monero.rpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP digest authentication (RFC 7616, MD5 with qop=auth or none), which monerod and wallet-rpc
 * require when started with {@code --rpc-login}. The JDK's HttpClient only does Basic.
 *
 * <p>One instance per client: it remembers the last challenge and counts nonces so most calls need
 * one round trip. Not thread-safe on its own; {@link JsonRpcClient} serialises access.
 */
final class DigestAuth {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");

  private final RpcEndpoint.Credentials credentials;
  private final SecureRandom random;
  private Map<String, String> challenge;
  private int nonceCount;

  DigestAuth(final RpcEndpoint.Credentials credentials, final SecureRandom random) {
    this.credentials = credentials;
    this.random = random;
  }

  boolean hasChallenge() {
    return challenge != null;
  }

  /** Takes the first MD5 digest challenge among the WWW-Authenticate headers; false when there is none. */
  boolean accept(final List<String> wwwAuthenticate) {
    for (final String header : wwwAuthenticate) {
      final Optional<Map<String, String>> parsed = parseChallenge(header);
      if (parsed.isPresent()) {
        final String algorithm = parsed.get().getOrDefault("algorithm", "MD5");
        if (algorithm.equalsIgnoreCase("MD5")) {
          challenge = parsed.get();
          nonceCount = 0;
          return true;
        }
      }
    }
    return false;
  }

  static Optional<Map<String, String>> parseChallenge(final String header) {
    final String trimmed = header.trim();
    if (!trimmed.regionMatches(true, 0, "Digest ", 0, 7)) {
      return Optional.empty();
    }
    final Map<String, String> params = new LinkedHashMap<>();
    final Matcher m = PARAM.matcher(trimmed.substring(7));
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return params.containsKey("nonce") && params.containsKey("realm") ? Optional.of(params) : Optional.empty();
  }

  /** The Authorization header for the next request under the remembered challenge. */
  String authorization(final String method, final String uri) {
    nonceCount++;
    final byte[] c = new byte[12];
    random.nextBytes(c);
    return authorization(method, uri, String.format("%08x", nonceCount), HexFormat.of().formatHex(c));
  }

  String authorization(final String method, final String uri, final String nc, final String cnonce) {
    final String realm = challenge.get("realm");
    final String nonce = challenge.get("nonce");
    final String ha1 = md5(credentials.username() + ":" + realm + ":" + credentials.password());
    final String ha2 = md5(method + ":" + uri);
    final boolean qopAuth = challenge.containsKey("qop")
        && List.of(challenge.get("qop").split("\\s*,\\s*")).contains("auth");
    final StringBuilder b = new StringBuilder("Digest username=\"").append(credentials.username())
        .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
        .append("\", uri=\"").append(uri).append("\", algorithm=MD5");
    if (qopAuth) {
      final String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
      b.append(", response=\"").append(response).append("\", qop=auth, nc=").append(nc)
          .append(", cnonce=\"").append(cnonce).append('"');
    } else {
      b.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + ha2)).append('"');
    }
    if (challenge.containsKey("opaque")) {
      b.append(", opaque=\"").append(challenge.get("opaque")).append('"');
    }
    return b.toString();
  }

  private static String md5(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }
}
