import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;
import org.web3j.tx.Contract;

/**
 * Build-time generator (run by exec-maven-plugin as a single source file, never shipped): turns
 * forge artifacts ({@code out/<Name>.sol/<Name>.json}) into web3j bindings and ABI resources.
 *
 * <p>Arguments: forge out dir, Java source dir, ABI resource dir, Java package, comma-separated
 * contract names. A contract whose binding is newer than its artifact is skipped, so an unchanged
 * suite does not force a recompile.
 */
public final class GenerateBindings {
  private GenerateBindings() {}

  public static void main(final String[] args) throws Exception {
    if (args.length != 5) {
      throw new IllegalArgumentException(
          "usage: GenerateBindings <forge-out> <java-dir> <abi-dir> <package> <Name,Name,...>");
    }
    final Path forgeOut = Path.of(args[0]);
    final Path javaDir = Path.of(args[1]);
    final Path abiDir = Path.of(args[2]);
    final String pkg = args[3];
    final Path packageDir = javaDir.resolve(pkg.replace('.', '/'));
    Files.createDirectories(abiDir);
    final String[] names = args[4].split(",");
    int generated = 0;
    for (final String raw : names) {
      final String name = raw.trim();
      final Path artifact = forgeOut.resolve(name + ".sol").resolve(name + ".json");
      if (!Files.isRegularFile(artifact)) {
        throw new IllegalStateException(
            "forge artifact " + artifact + " is missing: did forge build fail, or was " + name
                + " renamed? (contracts.suite in contracts/pom.xml lists the suite)");
      }
      final Path binding = packageDir.resolve(name + ".java");
      final Path abiResource = abiDir.resolve(name + ".json");
      final FileTime built = Files.getLastModifiedTime(artifact);
      if (isNewer(binding, built) && isNewer(abiResource, built)) {
        continue;
      }
      generate(artifact, name, javaDir, abiResource, pkg);
      generated++;
    }
    System.out.println("[web3j] " + generated + " binding(s) regenerated in " + packageDir);
  }

  private static boolean isNewer(final Path file, final FileTime than) throws IOException {
    return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(than) > 0;
  }

  private static void generate(
      final Path artifact, final String name, final Path javaDir, final Path abiResource, final String pkg)
      throws Exception {
    final JsonNode root = new ObjectMapper().readTree(artifact.toFile());
    final JsonNode abi = root.get("abi");
    final JsonNode bytecode = root.path("bytecode");
    if (abi == null || !abi.isArray()) {
      throw new IllegalStateException(artifact + ": no 'abi' array");
    }
    if (!bytecode.path("linkReferences").isEmpty()) {
      throw new IllegalStateException(
          artifact + ": needs linked libraries " + bytecode.get("linkReferences").fieldNames().next()
              + "; the suite must use internal libraries only");
    }
    final String object = bytecode.path("object").asText("");
    if (object.replaceFirst("^0x", "").isEmpty()) {
      // Every suite contract is deployable; an empty bytecode means an ABI-only artifact (forge lint
      // writes those, and forge's cache then keeps them).
      throw new IllegalStateException(
          artifact + " has no bytecode (an ABI-only artifact, e.g. left by 'forge lint'): run"
              + " 'forge build --offline --force' in contracts/ and build again");
    }
    final Path tmp = Files.createTempDirectory("web3j-" + name);
    try {
      final Path abiFile = Files.writeString(tmp.resolve(name + ".abi"), abi.toString());
      final Path binFile = Files.writeString(tmp.resolve(name + ".bin"), object.replaceFirst("^0x", ""));
      new SolidityFunctionWrapperGenerator(
              binFile.toFile(),
              abiFile.toFile(),
              javaDir.toFile(),
              name,
              pkg,
              true,
              false,
              false,
              Contract.class,
              20,
              false)
          .generate();
      Files.writeString(abiResource, abi.toPrettyString());
    } finally {
      try (var files = Files.list(tmp)) {
        for (final Path p : (Iterable<Path>) files::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(tmp);
    }
  }
}
