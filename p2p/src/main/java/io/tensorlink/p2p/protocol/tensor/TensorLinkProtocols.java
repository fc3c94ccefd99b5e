package io.tensorlink.p2p.protocol.tensor;

/** Stream protocol ids of TensorLink (design §5); all carry {@link BulkFrame}s. */
public final class TensorLinkProtocols {
  /** Activations, gradients, checkpoints. */
  public static final String TENSOR = "/tl/tensor/1.0.0";
  /** Content-addressed dataset chunks. */
  public static final String DATA = "/tl/data/1.0.0";
  /** A validator asks a worker for a step's inputs. */
  public static final String VERIFY = "/tl/verify/1.0.0";
  /** A validator asks its peers for the step records it missed. */
  public static final String RECORDS = "/tl/records/1.0.0";

  private TensorLinkProtocols() {}
}
