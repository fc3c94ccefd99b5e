package io.tensorlink.besu.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.besu.Fixtures;
import io.tensorlink.chain.pol.PoLHeader;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

class SubmitCallTest {
  private final PoLHeader header = Fixtures.header(3, Fixtures.keccak("parent"));
  private final byte[] calldata = Fixtures.submit(header, Fixtures.KEYS.subList(0, 3));

  @Test
  void encodingMatchesWeb3jsAbiEncoderAndDecodesBack() {
    final SubmitCall call = SubmitCall.decode(calldata);
    final String web3j = FunctionEncoder.encode(new Function("submit", List.of(
        new StaticStruct(
            new Uint256(header.jobId()), new Uint64(header.index()), b32(header.parent()), new Uint64(header.stepFrom()),
            new Uint64(header.stepTo()), b32(header.stepsRoot()), b32(header.payoutsRoot()), b32(header.checkpointRoot()),
            b32(header.randomness()), new Uint64(header.randomnessBlock())),
        new DynamicArray<>(DynamicBytes.class, call.signatures().stream().map(DynamicBytes::new).toList())), List.of()));
    assertThat(Hex.of(calldata)).isEqualTo(web3j);
    assertThat(call.header()).isEqualTo(header);
    assertThat(call.signatures()).hasSize(3).allSatisfy(s -> assertThat(s).hasSize(65));
    assertThat(Hex.of(SubmitCall.SELECTOR)).isEqualTo(web3j.substring(0, 10));
  }

  @Test
  void rejectsEveryNonCanonicalEncodingWithAReason() {
    assertThatThrownBy(() -> SubmitCall.decode(Arrays.copyOf(calldata, 101))).hasMessageContaining("whole number of 32-byte words");
    assertThatThrownBy(() -> SubmitCall.decode(Arrays.copyOf(calldata, 4 + 11 * 32))).hasMessageContaining("too short");
    assertThatThrownBy(() -> SubmitCall.decode(Arrays.copyOf(calldata, calldata.length + 32))).hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> SubmitCall.decode(Arrays.copyOf(calldata, calldata.length - 32))).hasMessageContaining("past the end");
    assertThatThrownBy(() -> SubmitCall.decode(patchWord(calldata, 10, 0x180))).hasMessageContaining("signatures offset is 384");
    assertThatThrownBy(() -> SubmitCall.decode(patchWord(calldata, 11, 300))).hasMessageContaining("300 signatures");
    assertThatThrownBy(() -> SubmitCall.decode(patchWord(calldata, 12, 0x80))).hasMessageContaining("signature 0 offset");
    // The first signature's length word sits after the count and the three offsets.
    assertThatThrownBy(() -> SubmitCall.decode(patchWord(calldata, 15, 64))).hasMessageContaining("has 64 bytes, expected 65");
    final byte[] padding = calldata.clone();
    padding[4 + 16 * 32 + 65] = 1;
    assertThatThrownBy(() -> SubmitCall.decode(padding)).hasMessageContaining("non-zero padding");
    final byte[] overflow = calldata.clone();
    overflow[4 + 32] = 1; // index word, top byte: above uint64
    assertThatThrownBy(() -> SubmitCall.decode(overflow)).hasMessageContaining("header.index does not fit uint64");
  }

  @Test
  void onlyTheSubmitSelectorCounts() {
    assertThat(SubmitCall.isSubmit(calldata)).isTrue();
    assertThat(SubmitCall.isSubmit(Numeric.hexStringToByteArray("0xa9059cbb"))).isFalse();
    assertThat(SubmitCall.isSubmit(new byte[3])).isFalse();
    assertThat(SubmitCall.ifSubmit(Numeric.hexStringToByteArray("0x12345678"))).isEmpty();
  }

  private static Bytes32 b32(final org.apache.tuweni.bytes.Bytes32 value) {
    return new Bytes32(value.toArray());
  }

  private static byte[] patchWord(final byte[] data, final int word, final long value) {
    final byte[] out = data.clone();
    final byte[] w = Numeric.toBytesPadded(BigInteger.valueOf(value), 32);
    System.arraycopy(w, 0, out, 4 + word * 32, 32);
    return out;
  }
}
