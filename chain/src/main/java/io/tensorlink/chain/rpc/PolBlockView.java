package io.tensorlink.chain.rpc;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An anchored PoL block header with where it was anchored. Hashes and addresses are 0x-hex.
 *
 * @param header the header fields as anchored
 * @param blockHash hashStruct(header)
 * @param signers the validators whose signatures the anchor accepted (ascending)
 * @param anchoredIn the chain block that holds the anchoring transaction
 * @param transactionHash the anchoring transaction
 */
public record PolBlockView(Header header, String blockHash, List<String> signers, long anchoredIn, String transactionHash) {
  public PolBlockView {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(blockHash, "blockHash");
    signers = List.copyOf(signers);
  }

  /** The PoLBlock v2 fields (PROTOCOL.md); randomness is null for headers anchored before v2. */
  public record Header(
      BigInteger jobId,
      long index,
      String parent,
      long stepFrom,
      long stepTo,
      String stepsRoot,
      String payoutsRoot,
      String checkpointRoot,
      String randomness,
      long randomnessBlock) {
    public Header {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(parent, "parent");
    }
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", Quantity.hex(header.jobId()));
    m.put("index", Quantity.hex(header.index()));
    m.put("blockHash", blockHash);
    m.put("parent", header.parent());
    m.put("stepFrom", Quantity.hex(header.stepFrom()));
    m.put("stepTo", Quantity.hex(header.stepTo()));
    m.put("stepsRoot", header.stepsRoot());
    m.put("payoutsRoot", header.payoutsRoot());
    m.put("checkpointRoot", header.checkpointRoot());
    m.put("randomness", header.randomness());
    m.put("randomnessBlock", Quantity.hex(header.randomnessBlock()));
    m.put("signers", signers);
    m.put("anchoredIn", Quantity.hex(anchoredIn));
    m.put("transactionHash", transactionHash);
    return m;
  }
}
