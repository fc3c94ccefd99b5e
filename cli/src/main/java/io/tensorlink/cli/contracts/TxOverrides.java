package io.tensorlink.cli.contracts;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthGasPrice;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.utils.Numeric;

/**
 * The node connection of a command given {@code --nonce} or {@code --gas-price}: the suite's
 * transaction manager asks the node for the sender's pending nonce and the gas price before each
 * transaction, and this answers those two questions with the user's values instead (the nonce
 * counting up with every transaction sent). Everything else goes to the node unchanged.
 */
final class TxOverrides extends LoggingHttpService {
  private final String sender;
  private final Optional<BigInteger> gasPrice;
  private BigInteger nextNonce;

  TxOverrides(final String url, final String sender, final Optional<BigInteger> nonce, final Optional<BigInteger> gasPrice) {
    super(url);
    this.sender = sender;
    this.nextNonce = nonce.orElse(null);
    this.gasPrice = gasPrice;
  }

  @Override
  public <T extends Response> T send(final Request request, final Class<T> responseType) throws IOException {
    final String method = request.getMethod();
    if (nextNonce != null && method.equals("eth_getTransactionCount") && asksAboutSender(request)) {
      final EthGetTransactionCount r = new EthGetTransactionCount();
      r.setResult(Numeric.encodeQuantity(nextNonce));
      return answer(request, responseType, r);
    }
    if (gasPrice.isPresent() && method.equals("eth_gasPrice")) {
      final EthGasPrice r = new EthGasPrice();
      r.setResult(Numeric.encodeQuantity(gasPrice.get()));
      return answer(request, responseType, r);
    }
    final T response = super.send(request, responseType);
    if (nextNonce != null && method.equals("eth_sendRawTransaction") && response instanceof EthSendTransaction sent && !sent.hasError()) {
      nextNonce = nextNonce.add(BigInteger.ONE);
    }
    return response;
  }

  private boolean asksAboutSender(final Request<?, ?> request) {
    return !request.getParams().isEmpty() && sender.equalsIgnoreCase(String.valueOf(request.getParams().get(0)))
        && request.getParams().size() > 1 && "pending".equals(String.valueOf(request.getParams().get(1)));
  }

  private static <T extends Response> T answer(final Request<?, ?> request, final Class<T> type, final Response<String> r) {
    r.setId(request.getId());
    r.setJsonrpc("2.0");
    return type.cast(r);
  }
}
