package io.tensorlink.cli.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Logging for one CLI run: everything at the configured level into {@code logs/tl-cli.log} in the
 * data dir, and only warnings and errors (or everything, with {@code --verbose}) on stderr, so
 * stdout stays clean for the command's own output.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void configure(final String level, final Path logFile, final boolean verbose) {
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    final Level threshold = Level.toLevel(level, Level.INFO);

    final FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setName("file");
    file.setFile(logFile.toString());
    file.setAppend(true);
    file.setEncoder(encoder(context, "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n"));
    file.start();

    final ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(context, "%-5level %logger{0}: %msg%n"));
    final ThresholdFilter consoleFilter = new ThresholdFilter();
    consoleFilter.setLevel(verbose ? threshold.toString() : Level.WARN.toString());
    consoleFilter.start();
    console.addFilter(consoleFilter);
    console.start();

    final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(threshold);
    root.addAppender(file);
    root.addAppender(console);
  }

  private static PatternLayoutEncoder encoder(final LoggerContext context, final String pattern) {
    final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }
}
