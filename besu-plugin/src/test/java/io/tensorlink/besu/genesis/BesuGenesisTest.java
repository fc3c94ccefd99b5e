package io.tensorlink.besu.genesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** genesis/besu: the QBFT genesis files decode, name exactly the committed keys, and the configs point at them. */
class BesuGenesisTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path BESU = ROOT.resolve("genesis/besu");
  private final ObjectMapper json = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"single", "four"})
  void extraDataIsQbftRlpOfExactlyTheCommittedValidatorKeys(final String net) throws IOException {
    final JsonNode genesis = json.readTree(BESU.resolve(net + "/genesis.json").toFile());
    final JsonNode qbft = genesis.path("config").path("qbft");
    assertThat(qbft.path("blockperiodseconds").asInt()).isPositive();
    assertThat(qbft.path("epochlength").asInt()).isPositive();
    assertThat(qbft.path("requesttimeoutseconds").asInt()).isGreaterThan(qbft.path("blockperiodseconds").asInt());
    assertThat(genesis.path("mixHash").asText()).isEqualTo("0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365");

    final List<Object> decoded = RLP.decodeList(Bytes.fromHexString(genesis.path("extraData").asText()), r -> {
      final List<Object> fields = new ArrayList<>();
      fields.add(r.readValue());
      fields.add(r.readListContents(v -> v.readValue()));
      fields.add(r.readListContents(v -> v.readValue()));
      fields.add(r.readValue());
      fields.add(r.readListContents(v -> v.readValue()));
      assertThat(r.isComplete()).as("nothing after the five QBFT fields").isTrue();
      return fields;
    });
    assertThat(decoded.get(0)).as("vanity").isEqualTo(Bytes.wrap(new byte[32]));
    assertThat((List<?>) decoded.get(2)).as("vote").isEmpty();
    assertThat(decoded.get(3)).as("round").isEqualTo(Bytes.EMPTY);
    assertThat((List<?>) decoded.get(4)).as("seals").isEmpty();
    final List<String> validators = ((List<?>) decoded.get(1)).stream().map(b -> ((Bytes) b).toHexString()).toList();

    final List<String> fromKeys = new ArrayList<>();
    try (var dirs = Files.list(BESU.resolve(net + "/keys"))) {
      for (Path dir : dirs.sorted().toList()) {
        final Credentials key = Credentials.create(Files.readString(dir.resolve("key")).trim());
        assertThat(Files.readString(dir.resolve("address")).trim()).isEqualTo(key.getAddress());
        assertThat(Files.readString(dir.resolve("key.pub")).trim())
            .isEqualTo(Numeric.toHexStringWithPrefixZeroPadded(key.getEcKeyPair().getPublicKey(), 128));
        fromKeys.add(key.getAddress());
      }
    }
    assertThat(validators).hasSize(net.equals("single") ? 1 : 4).isSorted().containsExactlyInAnyOrderElementsOf(fromKeys);
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "four"})
  void configsPointAtTheNetworksFilesWithDistinctPorts(final String net) throws IOException {
    final List<Path> configs;
    try (var files = Files.list(BESU.resolve(net))) {
      configs = files.filter(p -> p.getFileName().toString().endsWith(".toml")).sorted().toList();
    }
    assertThat(configs).hasSize(net.equals("single") ? 1 : 4);
    final List<String> ports = new ArrayList<>();
    final String firstPub = Files.readString(BESU.resolve(net + "/keys/validator1/key.pub")).trim().substring(2);
    for (Path config : configs) {
      final String toml = Files.readString(config);
      assertThat(ROOT.resolve(value(toml, "genesis-file"))).isRegularFile().isEqualTo(BESU.resolve(net + "/genesis.json"));
      assertThat(ROOT.resolve(value(toml, "node-private-key-file"))).isRegularFile();
      ports.add(value(toml, "p2p-port"));
      ports.add(value(toml, "rpc-http-port"));
      ports.add(value(toml, "plugin-tensorlink-p2p-port"));
      assertThat(toml).contains("\"TL\"");
      // The hosted validator sends its transactions through this Besu's own JSON-RPC, not a neighbour's.
      assertThat(value(toml, "plugin-tensorlink-rpc-url")).isEqualTo("http://127.0.0.1:" + value(toml, "rpc-http-port"));
      if (toml.contains("bootnodes=")) {
        assertThat(value(toml, "bootnodes")).isEqualTo("[\"enode://" + firstPub + "@127.0.0.1:30303\"]");
      }
    }
    assertThat(ports).doesNotHaveDuplicates();
  }

  @Test
  void theSingleValidatorNetworkIsTheDevnetChainAndFundsTheDevnetAccounts() throws IOException {
    final DevnetGenesis devnet = DevnetGenesis.load(ROOT.resolve("genesis/devnet.json"));
    final JsonNode genesis = json.readTree(BESU.resolve("single/genesis.json").toFile());
    assertThat(genesis.path("config").path("chainId").asLong()).isEqualTo(devnet.chainId());
    final MnemonicAccounts accounts = new MnemonicAccounts(devnet.mnemonic());
    IntStream.range(0, devnet.accounts()).mapToObj(accounts::address).forEach(a ->
        assertThat(genesis.path("alloc").has(a.substring(2).toLowerCase(Locale.ROOT))).as(a).isTrue());
    final JsonNode four = json.readTree(BESU.resolve("four/genesis.json").toFile());
    assertThat(four.path("config").path("chainId").asLong()).isNotEqualTo(devnet.chainId());
  }

  private static String value(final String toml, final String key) {
    final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=(.*)$").matcher(toml);
    assertThat(m.find()).as(key).isTrue();
    final String v = m.group(1).trim();
    return v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
