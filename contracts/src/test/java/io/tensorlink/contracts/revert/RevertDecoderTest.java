package io.tensorlink.contracts.revert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden revert data below was produced with {@code cast calldata}. */
class RevertDecoderTest {
  private static final String ABI =
      """
      [
        {"type":"error","name":"ERC20InsufficientBalance","inputs":[
          {"name":"sender","type":"address"},{"name":"balance","type":"uint256"},{"name":"needed","type":"uint256"}]},
        {"type":"error","name":"Foo","inputs":[
          {"name":"items","type":"tuple[]","components":[{"name":"a","type":"uint256"},{"name":"b","type":"address"}]},
          {"name":"h","type":"bytes32"}]},
        {"type":"error","name":"Anon","inputs":[{"name":"","type":"bytes32[]"}]},
        {"type":"function","name":"balanceOf","inputs":[{"name":"a","type":"address"}],"outputs":[]}
      ]
      """;

  private final RevertDecoder decoder = RevertDecoder.fromAbis(List.of(parse(ABI)));

  @Test
  void selectorsMatchSolidity() {
    assertThat(decoder.errorsByName().get("ERC20InsufficientBalance").selector()).isEqualTo("0xe450d38c");
    assertThat(decoder.errorsByName().get("Foo").signature()).isEqualTo("Foo((uint256,address)[],bytes32)");
    assertThat(decoder.errorsByName().get("Foo").selector()).isEqualTo("0x44aabeb8");
    assertThat(decoder.errorsByName()).doesNotContainKey("balanceOf");
  }

  @Test
  void decodesCustomErrorWithArguments() {
    final DecodedRevert r =
        decoder.decode(
            "0xe450d38c00000000000000000000000000000000000000000000000000000000000000aa"
                + "0000000000000000000000000000000000000000000000000000000000000005"
                + "0000000000000000000000000000000000000000000000000000000000000007");

    assertThat(r.name()).isEqualTo("ERC20InsufficientBalance");
    assertThat(r.toString())
        .isEqualTo("ERC20InsufficientBalance(sender=0x00000000000000000000000000000000000000aa, balance=5, needed=7)");
    assertThat(r.arg("needed")).map(DecodedRevert.Arg::value).contains("7");
  }

  @Test
  void decodesBuiltInErrorAndPanic() {
    assertThat(
            decoder
                .decode(
                    "0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000"
                        + "0000000000000000000000000000000a6e6f7420656e6f756768000000000000000000000000000000000000000000000000")
                .toString())
        .isEqualTo("Error(message=\"not enough\")");
    assertThat(decoder.decode("0x4e487b710000000000000000000000000000000000000000000000000000000000000011").toString())
        .isEqualTo("Panic(code=0x11 (arithmetic overflow or underflow))");
  }

  @Test
  void unknownEmptyAndMalformedDataAreDescribedNotThrown() {
    assertThat(decoder.decode("0xdeadbeef").name()).isEqualTo("unknown error 0xdeadbeef");
    assertThat(decoder.decode("0x").name()).isEqualTo("(no revert data)");
    assertThat(decoder.decode(null).name()).isEqualTo("(no revert data)");
    assertThat(decoder.decode("0xe450").name()).isEqualTo("(truncated revert data)");
    assertThat(decoder.decode("0xe450d38c0000").name()).startsWith("ERC20InsufficientBalance (undecodable arguments");
  }

  @Test
  void tupleArgumentsFallBackToRawData() {
    final DecodedRevert r = decoder.decode("0x44aabeb8" + "00".repeat(64));
    assertThat(r.name()).isEqualTo("Foo");
    assertThat(r.args()).singleElement().satisfies(a -> assertThat(a.name()).isEqualTo("data"));
  }

  private static JsonNode parse(final String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
