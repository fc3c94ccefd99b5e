package io.tensorlink.compute.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.hash.Keccak;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  /** Roots from @openzeppelin/merkle-tree 1.x (resources/checkpoint/oz-merkle-golden.js). */
  private static final String[] OZ_ROOTS = {
    "0x357a815b6fffc3f38b08de8f1e754bef7d52acc551d7b5cd58b4634854fe674c",
    "0xb7de05eee10ce11dbd8806907381b5badecf78cc2878f5a0fbe03185105556db",
    "0x75b2f71153614e1864f2543384dd422838e4cfc8ca4314ea63d781ab9c397047",
    "0x8d95adbfccf693de76095a6f3e225e555a440ea575b45bdf921c53807bf0f108",
    "0xd7ab0a84f5b90fafa25b8df8b6558f9bfdaa2d321ab24eba0ea68127d8d2e4ed",
  };

  private static List<byte[]> values(final int n) {
    final List<byte[]> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(Keccak.keccak256(new byte[] {(byte) i}));
    }
    return v;
  }

  @Test
  void rootsMatchOpenZeppelinStandardMerkleTree() {
    for (int n = 1; n <= OZ_ROOTS.length; n++) {
      assertThat(Keccak.hex(MerkleTree.of(values(n)).root())).as("%d leaves", n).isEqualTo(OZ_ROOTS[n - 1]);
    }
  }

  @Test
  void proofsMatchOpenZeppelinAndVerify() {
    final MerkleTree t = MerkleTree.of(values(5));
    assertThat(t.proof(2)).extracting(Keccak::hex).containsExactly(
        "0x84d4332c3d26f7719582a2ae02a734055d18f3991a1339235c12ed9770d2ae1d",
        "0x96e1ce1ff6abf2c69c8890cabef38c76b0eb37b281d1944a05c08894833f5440");
    for (int n = 1; n <= 9; n++) {
      final List<byte[]> v = values(n);
      final MerkleTree tree = MerkleTree.of(v);
      for (int i = 0; i < n; i++) {
        assertThat(MerkleTree.verify(tree.proof(i), tree.root(), v.get(i))).isTrue();
        assertThat(MerkleTree.verify(tree.proof(i), tree.root(), v.get((i + 1) % n))).isEqualTo(n == 1);
      }
    }
  }

  @Test
  void orderOfLeavesMattersAcrossSubtrees() {
    final List<byte[]> v = values(3);
    final List<byte[]> swapped = new ArrayList<>(List.of(v.get(2), v.get(1), v.get(0)));
    assertThat(MerkleTree.of(v).root()).isNotEqualTo(MerkleTree.of(swapped).root());
  }
}
