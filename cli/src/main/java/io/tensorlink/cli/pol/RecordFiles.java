package io.tensorlink.cli.pol;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.Signature;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.merkle.MerkleTree;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.utils.Numeric;

/**
 * Step records given on the command line, in either form the node handles them: the wire form
 * (RLP of a {@link SignedStepRecord}, hex) or JSON with the {@link StepRecord} field names
 * (numbers as JSON numbers or decimal strings, hashes and {@code lossBits} may be 0x-hex, plus
 * {@code "signature"}). A block's record list (for Merkle proofs) is a JSON array, or
 * {@code {"records": […]}}, whose entries are any of those forms or bare 32-byte record hashes.
 */
public final class RecordFiles {
  private static final String[] HASHES = {"batchCommitment", "paramsBefore", "optStateBefore", "actIn", "actOut", "gradIn",
      "gradOut", "gradRoot", "reduceRoot", "paramsAfter", "optStateAfter"};

  private RecordFiles() {}

  /** A signed record from {@code value}: wire hex, or a file holding wire hex or a JSON record. */
  public static SignedStepRecord signed(final String option, final String value) {
    final Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      if (!value.trim().startsWith("0x")) {
        throw new CliException(option + " '" + value + "' is neither a file nor 0x-hex of a signed record", ExitCodes.USAGE);
      }
      return wire(option, value.trim());
    }
    final String text;
    try {
      text = Files.readString(file).trim();
    } catch (IOException e) {
      throw new CliException(option + " " + file + " cannot be read: " + e.getMessage(), ExitCodes.USAGE);
    }
    if (!text.startsWith("{")) {
      return wire(option + " " + file, text);
    }
    final String where = option + " " + file;
    final JsonNode n = PayoutFile.readJson(option, file);
    final StepRecord record = record(where, n);
    try {
      return new SignedStepRecord(record, new Signature(Bytes.fromHexString(text(where, n, "signature"))));
    } catch (IllegalArgumentException e) {
      throw new CliException(where + ": signature: " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  /** The record leaves (record hashes) of a block from a records file. */
  public static List<Bytes32> leaves(final String option, final Path file) {
    final JsonNode root = PayoutFile.readJson(option, file);
    final JsonNode list = root.isArray() ? root : root.path("records");
    if (!list.isArray() || list.isEmpty()) {
      throw new CliException(option + " " + file + ": expected a JSON array (or {\"records\": […]}) of the block's records",
          ExitCodes.USAGE);
    }
    final List<Bytes32> leaves = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      leaves.add(leaf(option + " " + file + ": records[" + i + "]", list.get(i)));
    }
    return leaves;
  }

  /** The record leaves of {@code file}, which must be those of the block {@code what} with {@code stepsRoot}. */
  public static List<Bytes32> leavesOf(final String option, final Path file, final byte[] stepsRoot, final String what) {
    final List<Bytes32> leaves = leaves(option, file);
    final byte[] root = MerkleTree.of(leaves.stream().map(Bytes32::toArray).toList()).root();
    if (!Arrays.equals(root, stepsRoot)) {
      throw new CliException(option + " " + file + " has root " + Numeric.toHexString(root) + " but " + what + "'s stepsRoot is "
          + Numeric.toHexString(stepsRoot) + ": not this block's records", ExitCodes.USAGE);
    }
    return leaves;
  }

  /** The records of a block's records file that are given in full (not as bare hashes), for sampling. */
  public static List<StepRecord> records(final String option, final Path file) {
    final JsonNode root = PayoutFile.readJson(option, file);
    final JsonNode list = root.isArray() ? root : root.path("records");
    final List<StepRecord> records = new ArrayList<>();
    for (int i = 0; list.isArray() && i < list.size(); i++) {
      final JsonNode e = list.get(i);
      final String where = option + " " + file + ": records[" + i + "]";
      if (e.isObject()) {
        records.add(record(where, e));
      } else if (e.isTextual() && e.asText().length() != 66) {
        records.add(wire(where, e.asText()).record());
      }
    }
    return records;
  }

  private static Bytes32 leaf(final String where, final JsonNode e) {
    if (e.isObject()) {
      return record(where, e).recordHash();
    }
    final String text = e.asText("");
    if (text.length() == 66 && text.startsWith("0x")) {
      return bytes32(where, text);
    }
    return wire(where, text).leaf();
  }

  private static SignedStepRecord wire(final String where, final String hex) {
    try {
      return PolCodec.decodeSignedRecord(Bytes.fromHexString(hex));
    } catch (RuntimeException e) {
      throw new CliException(where + " is not a signed step record in wire form: " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  /** A record from its JSON form (any "signature" field is left to the caller). */
  private static StepRecord record(final String where, final JsonNode n) {
    try {
      final Bytes32[] h = new Bytes32[HASHES.length];
      for (int i = 0; i < HASHES.length; i++) {
        h[i] = bytes32(where + "." + HASHES[i], text(where, n, HASHES[i]));
      }
      return new StepRecord(number(where, n, "jobId"), number(where, n, "step").longValueExact(),
          number(where, n, "stage").intValueExact(), number(where, n, "replica").intValueExact(),
          number(where, n, "stages").intValueExact(), number(where, n, "replicas").intValueExact(),
          EthAddress.of(text(where, n, "worker")), h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10],
          number(where, n, "lossBits").longValue());
    } catch (ArithmeticException e) {
      throw new CliException(where + ": a number is out of range (" + e.getMessage() + ")", ExitCodes.USAGE);
    } catch (IllegalArgumentException e) {
      throw new CliException(where + ": " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  private static String text(final String where, final JsonNode n, final String field) {
    final JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new CliException(where + " has no \"" + field + "\"", ExitCodes.USAGE);
    }
    return v.asText();
  }

  private static BigInteger number(final String where, final JsonNode n, final String field) {
    final String t = text(where, n, field).trim();
    try {
      final BigInteger v = t.startsWith("0x") ? new BigInteger(t.substring(2), 16) : new BigInteger(t);
      if (v.signum() < 0 || v.bitLength() > (field.equals("jobId") ? 256 : 64)) {
        throw new CliException(where + "." + field + " is out of range: " + t, ExitCodes.USAGE);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new CliException(where + "." + field + " is not a whole number: '" + t + "'", ExitCodes.USAGE);
    }
  }

  private static Bytes32 bytes32(final String where, final String hex) {
    if (hex.length() != 66 || !hex.startsWith("0x")) {
      throw new CliException(where + " must be 32 bytes as 0x and 64 hex digits, got '" + hex + "'", ExitCodes.USAGE);
    }
    try {
      return Bytes32.fromHexString(hex);
    } catch (IllegalArgumentException e) {
      throw new CliException(where + " is not hex: '" + hex + "'", ExitCodes.USAGE);
    }
  }
}
