package io.tensorlink.chain.job.result;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of {@code /tl/checkpoint/1.0.0}: one request per stream, answered with the
 * cell's checkpoint at the requested step (parameters + optimizer state) or {@code UNAVAILABLE}
 * with a reason, then the stream is closed. A malformed request or a second one on a stream resets
 * it. Reading and encoding run on {@code executor}, never on the connection's event loop.
 */
public final class CheckpointServer {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointServer.class);
  /**
   * A request is 49 bytes of metadata and no payload (checked exactly when decoded); the channel's
   * metadata limit also bounds the answer's own metadata, hence the response maximum.
   */
  private static final BulkLimits REQUEST_LIMITS = new BulkLimits(CheckpointMessages.MAX_RESPONSE_META, 1024, 1024);

  private CheckpointServer() {}

  public static void register(final Host host, final CheckpointSource source, final Executor executor) {
    host.setStreamHandler(CheckpointMessages.PROTOCOL, stream -> BulkChannel.attach(stream, REQUEST_LIMITS,
        new BulkMessageListener() {
          private byte[] request;

          @Override
          public void onStart(final BulkChannel channel, final byte[] metadata) {
            if (request != null) {
              LOG.debug("checkpoint: second request on one stream from {}", stream.remotePeer());
              stream.reset();
              return;
            }
            request = metadata;
          }

          @Override
          public void onChunk(final BulkChannel channel, final ByteBuf chunk) {
            // requests carry no payload; REQUEST_LIMITS bounds what a peer can push here
          }

          @Override
          public void onEnd(final BulkChannel channel, final long totalBytes) {
            final byte[] metadata = request;
            CompletableFuture.runAsync(() -> answer(channel, metadata, source), executor).exceptionally(e -> {
              LOG.warn("checkpoint: answering {} failed: {}", stream.remotePeer(), e.toString());
              stream.reset();
              return null;
            });
          }
        }));
  }

  public static void unregister(final Host host) {
    host.removeStreamHandler(CheckpointMessages.PROTOCOL);
  }

  private static void answer(final BulkChannel channel, final byte[] metadata, final CheckpointSource source) {
    final CheckpointMessages.Request r;
    try {
      r = CheckpointMessages.decodeRequest(metadata);
    } catch (MalformedCheckpointException e) {
      LOG.debug("checkpoint: malformed request from {}: {}", channel.stream().remotePeer(), e.getMessage());
      channel.stream().reset();
      return;
    }
    Optional<Checkpoint> found;
    String reason = "no checkpoint of job " + r.jobId() + " stage " + r.stage() + " replica " + r.replica()
        + " at step " + r.step();
    try {
      found = source.find(r.jobId(), r.stage(), r.replica(), r.step());
    } catch (RuntimeException e) {
      LOG.warn("checkpoint of job {} stage {} replica {} step {} unreadable: {}", r.jobId(), r.stage(), r.replica(),
          r.step(), e.getMessage());
      found = Optional.empty();
      reason = "the checkpoint at step " + r.step() + " is unreadable here";
    }
    if (found.isEmpty()) {
      channel.send(CheckpointMessages.encode(new CheckpointMessages.Response(CheckpointMessages.UNAVAILABLE,
          r.step(), reason)), Unpooled.EMPTY_BUFFER);
    } else {
      final Checkpoint c = found.get();
      channel.send(CheckpointMessages.encode(new CheckpointMessages.Response(CheckpointMessages.OK, c.step(), "")),
          Unpooled.wrappedBuffer(CheckpointMessages.encodePayload(c.params(), c.optimizerState())));
    }
    channel.close();
  }
}
