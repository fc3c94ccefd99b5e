package io.tensorlink.cli.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;

/**
 * Logging before {@link LogSetup} runs (while arguments are parsed): warnings only, on stderr. A
 * service-loaded configurator instead of a logback.xml, because parsing XML at start-up costs more
 * than the rest of {@code tl-cli --help}.
 */
public final class EarlyLogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(final LoggerContext context) {
    final ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(new LineEncoder());
    console.start();
    final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** {@code LEVEL logger: message}, as LogSetup's console pattern, without a pattern parser. */
  private static final class LineEncoder extends EncoderBase<ILoggingEvent> {
    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] encode(final ILoggingEvent event) {
      final String logger = event.getLoggerName();
      return String.format(java.util.Locale.ROOT, "%-5s %s: %s%n", event.getLevel(), logger.substring(logger.lastIndexOf('.') + 1),
          event.getFormattedMessage()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
  }
}
