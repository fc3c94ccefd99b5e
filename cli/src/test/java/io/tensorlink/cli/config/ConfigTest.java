package io.tensorlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void precedenceIsFlagThenEnvironmentThenFileThenDefault() throws IOException {
    final Path file = write("rpc.url=http://file:1\nlog.level=debug\ncompute.threads=3\n");
    final Map<String, String> env = Map.of("TL_RPC_URL", "http://env:2", "TL_LOG_LEVEL", "warn");
    final Map<String, String> flags = Map.of("rpc.url", "http://flag:3");

    final Config config = Config.resolve(flags, env, file);

    assertThat(config.get(ConfigKeys.RPC_URL)).isEqualTo(URI.create("http://flag:3"));
    assertThat(config.setting("rpc.url").orElseThrow().source()).isEqualTo(ConfigSource.FLAG);
    assertThat(config.get(ConfigKeys.LOG_LEVEL)).isEqualTo("warn");
    assertThat(config.setting("log.level").orElseThrow().source()).isEqualTo(ConfigSource.ENVIRONMENT);
    assertThat(config.get(ConfigKeys.COMPUTE_THREADS)).isEqualTo(3);
    assertThat(config.setting("compute.threads").orElseThrow().source()).isEqualTo(ConfigSource.FILE);
    assertThat(config.get(ConfigKeys.P2P_PORT)).isZero();
    assertThat(config.setting("p2p.port").orElseThrow().source()).isEqualTo(ConfigSource.DEFAULT);
  }

  @Test
  void aMissingFileMeansDefaults() {
    final Config config = Config.resolve(Map.of(), Map.of(), dir.resolve("absent.properties"));
    assertThat(config.get(ConfigKeys.LOG_LEVEL)).isEqualTo("info");
    assertThat(config.find(ConfigKeys.RPC_URL)).isEmpty();
    assertThatThrownBy(() -> config.get(ConfigKeys.RPC_URL)).hasMessageContaining("rpc.url: not set");
  }

  @Test
  void anUnknownKeyInTheFileIsNamed() throws IOException {
    final Path file = write("rpc.url=http://a:1\nrpc.ulr=http://typo:1\n");
    assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of(), file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unknown key 'rpc.ulr'")
        .hasMessageContaining("rpc.url");
  }

  @Test
  void aBadValueNamesTheKeyTheValueAndItsSource() throws IOException {
    assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of("TL_COMPUTE_THREADS", "many"), dir.resolve("x")))
        .hasMessage("compute.threads: bad value 'many' from environment variable TL_COMPUTE_THREADS: not an integer");
    final Path file = write("p2p.port=70000\n");
    assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of(), file))
        .hasMessage("p2p.port: bad value '70000' from " + file + ": must be between 0 and 65535");
    assertThatThrownBy(() -> Config.resolve(Map.of("rpc.url", "ftp://x"), Map.of(), dir.resolve("x")))
        .hasMessage("rpc.url: bad value 'ftp://x' from flag: expected an http:// or https:// URL with a host");
    assertThatThrownBy(() -> Config.resolve(Map.of("log.level", "loud"), Map.of(), dir.resolve("x")))
        .hasMessageContaining("log.level: bad value 'loud' from flag: expected one of trace");
  }

  @Test
  void aBadValueThatIsOverriddenStillFails() throws IOException {
    // A broken file is reported even when a flag would win: silent typos are worse than an error.
    final Path file = write("compute.threads=zero\n");
    assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of("TL_COMPUTE_THREADS", "4"), file))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void envVarNamesFollowTheKey() {
    assertThat(ConfigKeys.RPC_URL.envVar()).isEqualTo("TL_RPC_URL");
    assertThat(ConfigKeys.COMPUTE_THREADS.envVar()).isEqualTo("TL_COMPUTE_THREADS");
  }

  private Path write(final String content) throws IOException {
    final Path file = dir.resolve(Config.FILE_NAME);
    Files.writeString(file, content);
    return file;
  }
}
