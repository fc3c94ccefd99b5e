package io.tensorlink.besu.rpc;

import io.tensorlink.chain.rpc.TlRpcException;
import io.tensorlink.chain.rpc.TlRpcMethods;
import java.util.Arrays;
import java.util.function.Supplier;
import org.hyperledger.besu.plugin.services.RpcEndpointService;
import org.hyperledger.besu.plugin.services.exception.PluginRpcEndpointException;
import org.hyperledger.besu.plugin.services.rpc.RpcMethodError;

/**
 * Registers the {@code tl_*} methods with Besu. Registration happens in {@code register} (Besu
 * wires endpoints before {@code start}), so each call asks {@code methods} for the live method
 * set and answers "not started" until the plugin has started. A {@link TlRpcException} becomes a
 * JSON-RPC error with the same code and message the standalone node sends.
 */
public final class RpcBridge {
  private RpcBridge() {}

  public static void register(final RpcEndpointService service, final Supplier<TlRpcMethods> methods) {
    for (String function : TlRpcMethods.FUNCTIONS) {
      service.registerRPCEndpoint(TlRpcMethods.NAMESPACE, function, request -> {
        final TlRpcMethods live = methods.get();
        if (live == null) {
          throw error(new TlRpcException(TlRpcException.UNAVAILABLE, "TensorLink plugin is not started"));
        }
        try {
          final Object[] params = request.getParams();
          return live.call(function, params == null ? null : Arrays.asList(params));
        } catch (TlRpcException e) {
          throw error(e);
        }
      });
    }
  }

  private static PluginRpcEndpointException error(final TlRpcException e) {
    return new PluginRpcEndpointException(new RpcMethodError() {
      @Override
      public int getCode() {
        return e.code();
      }

      @Override
      public String getMessage() {
        return e.getMessage();
      }
    });
  }
}
