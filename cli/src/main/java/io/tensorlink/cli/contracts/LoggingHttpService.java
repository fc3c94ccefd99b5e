package io.tensorlink.cli.contracts;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.http.HttpService;

/**
 * The node connection of every chain command: it logs each transaction it sends at INFO (hash,
 * nonce, gas limit, gas price, recipient), and each one the node refuses, so the log file records
 * every transaction whichever code path signed it (commands, deploy, faucet).
 */
class LoggingHttpService extends HttpService {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingHttpService.class);

  LoggingHttpService(final String url) {
    super(url);
  }

  @Override
  public <T extends Response> T send(final Request request, final Class<T> responseType) throws IOException {
    final T response = super.send(request, responseType);
    if ("eth_sendRawTransaction".equals(request.getMethod()) && response instanceof EthSendTransaction sent) {
      final RawTransaction tx = TransactionDecoder.decode(String.valueOf(request.getParams().get(0)));
      if (sent.hasError()) {
        LOG.info("tx refused by the node: nonce {}, gas limit {}, gas price {}, to {}: {}", tx.getNonce(), tx.getGasLimit(),
            gasPrice(tx), tx.getTo(), sent.getError().getMessage());
      } else {
        LOG.info("tx sent: hash {}, nonce {}, gas limit {}, gas price {}, to {}", sent.getTransactionHash(), tx.getNonce(),
            tx.getGasLimit(), gasPrice(tx), tx.getTo());
      }
    }
    return response;
  }

  /** The legacy gas price, or an EIP-1559 transaction's fee cap (web3j throws on getGasPrice for those). */
  private static Object gasPrice(final RawTransaction tx) {
    return tx.getTransaction() instanceof Transaction1559 t ? t.getMaxFeePerGas() : tx.getGasPrice();
  }
}
