package io.tensorlink.monero.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestAuthTest {
  private final DigestAuth auth = new DigestAuth(new RpcEndpoint.Credentials("Mufasa", "Circle of Life"), new SecureRandom());

  @Test
  void rfc2617Example() {
    // RFC 2617's password is "Circle Of Life" (capital O), RFC 7616's "Circle of Life".
    final DigestAuth auth = new DigestAuth(new RpcEndpoint.Credentials("Mufasa", "Circle Of Life"), new SecureRandom());
    assertThat(auth.accept(List.of("Basic realm=\"x\"", "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\","
        + " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""))).isTrue();
    assertThat(auth.authorization("GET", "/dir/index.html", "00000001", "0a4f113b"))
        .contains("response=\"6629fae49393a05397450978507c4ef1\"", "qop=auth", "nc=00000001",
            "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"")
        .doesNotContain("Circle Of Life");
  }

  @Test
  void rfc7616Md5Example() {
    assertThat(auth.accept(List.of("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5,"
        + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""))).isTrue();
    assertThat(auth.authorization("GET", "/dir/index.html", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"))
        .contains("response=\"8ca523f5e9506fed4657c9700eebdbec\"");
  }

  @Test
  void sha256OnlyOrNonDigestChallengesAreNotAccepted() {
    assertThat(auth.accept(List.of("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256", "Basic realm=\"r\""))).isFalse();
    assertThat(auth.hasChallenge()).isFalse();
  }

  @Test
  void nonceCountIncreasesPerRequest() {
    auth.accept(List.of("Digest realm=\"monero-rpc\", qop=\"auth\", nonce=\"abc\", algorithm=MD5"));
    assertThat(auth.authorization("POST", "/json_rpc")).contains("nc=00000001");
    assertThat(auth.authorization("POST", "/json_rpc")).contains("nc=00000002");
  }
}
