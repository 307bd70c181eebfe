package dev.rendezvous.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures one class's log events (and keeps them out of the build output) until closed. */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final boolean wasAdditive;
    private final Level wasLevel;

    public CapturedLog(Class<?> source) {
        this(source.getName());
    }

    /** By logger name, for classes a test cannot name (package-private ones elsewhere). */
    public CapturedLog(String loggerName) {
        this(loggerName, null);
    }

    /** Also lowers the logger's level (the tests' default is WARN) to see, for example, INFO lines. */
    public CapturedLog(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        wasAdditive = logger.isAdditive();
        wasLevel = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    public List<ILoggingEvent> events() {
        return appender.list;
    }

    @Override
    public void close() {
        logger.setLevel(wasLevel);
        logger.setAdditive(wasAdditive);
        logger.detachAppender(appender);
        appender.stop();
    }
}
