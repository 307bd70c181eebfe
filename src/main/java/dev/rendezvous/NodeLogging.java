package dev.rendezvous;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.rendezvous.config.LogConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format} and {@code --log-level} to Logback as a node starts, before its
 * start line and before any library it starts logs anything. {@code logback.xml} holds the text
 * format and the levels until then (a command that starts no node keeps them).
 */
final class NodeLogging {

    static final String NODE_LOGGERS = "dev.rendezvous";
    private static final String APPENDER = "STDOUT";

    private NodeLogging() {
    }

    static void apply(LogConfig config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level level = Level.toLevel(config.level());
        context.getLogger(NODE_LOGGERS).setLevel(level);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // Libraries (Netty, Lettuce) speak at WARN and above whatever the node's level: their DEBUG
        // lines describe buffers and commands, with their arguments. Only "error" quiets them further.
        root.setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        if (config.format() == LogConfig.Format.JSON) {
            ConsoleAppender<ILoggingEvent> json = jsonAppender(context);
            root.detachAndStopAllAppenders();
            root.addAppender(json);
        }
    }

    /**
     * One object per line: {@code timestamp} (epoch milliseconds), {@code level}, {@code threadName},
     * {@code loggerName}, {@code mdc}, {@code formattedMessage} and {@code throwable}. Not the raw
     * pattern and its arguments apart (the formatted message already holds them), nor sequence
     * numbers, nanoseconds, the context, markers or key-value pairs, which the node does not use.
     */
    private static ConsoleAppender<ILoggingEvent> jsonAppender(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMarkers(false);
        encoder.setWithKVPList(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
