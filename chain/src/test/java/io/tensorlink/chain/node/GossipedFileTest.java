package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file a client saves beside an assigned job so that a restarted node takes the job up again. */
class GossipedFileTest {

  @Test
  void roundTripsAndRefusesADamagedFileNamingIt(@TempDir final Path dir) throws Exception {
    final Path file = dir.resolve("7.gossiped.bin");
    final ClientRole.Gossiped g = new ClientRole.Gossiped(new byte[] {1, 2, 3}, new byte[] {4, 5});
    g.write(file);
    final ClientRole.Gossiped read = ClientRole.Gossiped.read(file);
    assertThat(read.announcement()).containsExactly(1, 2, 3);
    assertThat(read.assignment()).containsExactly(4, 5);
    assertThat(Files.list(dir)).as("no temporary file left").containsExactly(file);

    final byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 1));
    assertThatThrownBy(() -> ClientRole.Gossiped.read(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file + " is damaged");
    Files.write(file, Arrays.copyOf(whole, whole.length + 1));
    assertThatThrownBy(() -> ClientRole.Gossiped.read(file)).hasMessageContaining("1 bytes after the assignment");
    final byte[] huge = whole.clone();
    huge[0] = 0x7f; // the announcement's length
    Files.write(file, huge);
    assertThatThrownBy(() -> ClientRole.Gossiped.read(file)).hasMessageContaining("a length of");
  }
}
