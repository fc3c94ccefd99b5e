package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK discovery of {@code ./tl} and {@code bin/tl-cli} (bin/lib/jdk.sh), run by bash against
 * fake JDK installs: it must pick the newest JDK >= 21 and explain when there is none.
 */
class JdkDiscoveryTest {
  private static final String FIND = ". bin/lib/jdk.sh && tl_find_jdk";
  @TempDir Path jvms;

  @Test
  void picksTheNewestQualifyingJdk() throws Exception {
    fakeJdk("jdk-17", "17.0.15", true);
    final Path jdk21 = fakeJdk("jdk-21", "21.0.5", true);
    final Path jdk25 = fakeJdk("temurin-25", "25.0.1", true);
    assertThat(find(Map.of()).out().strip()).isEqualTo(jdk25.toString());
    Files.delete(jdk25.resolve("bin").resolve("javac"));
    assertThat(find(Map.of()).out().strip()).as("a JRE without javac is not a JDK").isEqualTo(jdk21.toString());
  }

  @Test
  void readsJavaVersionWhenThereIsNoReleaseFile() throws Exception {
    final Path jdk = fakeJdk("odd", "22.0.2", false);
    fakeJdk("old", "1.8.0_412", false);
    assertThat(find(Map.of()).out().strip()).isEqualTo(jdk.toString());
  }

  @Test
  void failsWithAdviceWhenOnlyOldJdksExist() throws Exception {
    fakeJdk("jdk-17", "17.0.15", true);
    fakeJdk("jdk-8", "1.8.0_412", false);
    final Shell result = find(Map.of());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("no JDK 21+ found").contains("TL_JAVA_HOME");
  }

  @Test
  void javaHomeIsACandidateButNotAnOrder() throws Exception {
    final Path old = fakeJdk("jdk-17", "17.0.15", true);
    final Path newer = fakeJdk("jdk-21", "21.0.5", true);
    assertThat(find(Map.of("JAVA_HOME", old.toString())).out().strip()).isEqualTo(newer.toString());
  }

  @Test
  void tlJavaHomeIsObeyedAndChecked() throws Exception {
    final Path jdk21 = fakeJdk("jdk-21", "21.0.5", true);
    fakeJdk("jdk-25", "25.0.1", true);
    assertThat(find(Map.of("TL_JAVA_HOME", jdk21.toString())).out().strip()).isEqualTo(jdk21.toString());

    final Path jdk17 = fakeJdk("jdk-17", "17.0.15", true);
    final Shell tooOld = find(Map.of("TL_JAVA_HOME", jdk17.toString()));
    assertThat(tooOld.exitCode()).isEqualTo(1);
    assertThat(tooOld.err()).contains("is JDK 17; TensorLink needs JDK 21 or newer");

    final Shell notAJdk = find(Map.of("TL_JAVA_HOME", jvms.resolve("nothing").toString()));
    assertThat(notAJdk.exitCode()).isEqualTo(1);
    assertThat(notAJdk.err()).contains("is not a JDK");
  }

  @Test
  void theRealMachineHasAQualifyingJdk() throws Exception {
    final Shell result = Shell.run(Map.of(), FIND + " && tl_jdk_version \"$(tl_find_jdk)\"");
    assertThat(result.exitCode()).as(result.err()).isZero();
    final String[] lines = result.out().strip().split("\n");
    assertThat(Integer.parseInt(lines[1])).isGreaterThanOrEqualTo(21);
  }

  @Test
  void theFrontDoorRejectsUnknownCommands() throws Exception {
    final Shell result = Shell.run(Map.of(), "./tl frobnicate");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("error: unknown command 'frobnicate'").contains("./tl test");
  }

  private Shell find(final Map<String, String> env) throws IOException, InterruptedException {
    final Map<String, String> all = new java.util.HashMap<>(env);
    all.put("TL_JDK_SEARCH_DIRS", jvms.toString());
    return Shell.run(all, FIND);
  }

  /** A directory that looks like a JDK: bin/java prints the version the way real JVMs do. */
  private Path fakeJdk(final String name, final String version, final boolean releaseFile) throws IOException {
    final Path home = jvms.resolve(name);
    final Path bin = Files.createDirectories(home.resolve("bin"));
    final String java = "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2025-01-01' >&2\n";
    for (String tool : new String[] {"java", "javac"}) {
      final Path file = bin.resolve(tool);
      Files.writeString(file, java);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    if (releaseFile) {
      Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
    }
    return home;
  }
}
