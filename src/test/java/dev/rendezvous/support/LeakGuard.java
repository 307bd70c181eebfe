package dev.rendezvous.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector (paranoid in every test JVM, see the pom) reports
 * a buffer that was garbage-collected without being released. Registered for every class through
 * JUnit's extension auto-detection, so no test can forget it.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        // Each buffer type has its own detector instance, so listen where they all report: their logger.
        Logger detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String message = event.getFormattedMessage();
                if (event.getLevel().isGreaterOrEqual(Level.ERROR) && message.startsWith("LEAK:")) {
                    LEAKS.add(message);
                }
            }
        };
        recorder.setContext(detectorLog.getLoggerContext());
        recorder.start();
        detectorLog.addAppender(recorder);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        // Leaks are reported when a tracked buffer is found collected during a later allocation.
        for (int round = 0; round < 3 && LEAKS.isEmpty(); round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            String report = String.join("\n\n", LEAKS);
            LEAKS.clear();
            throw new AssertionError("Netty buffer leak detected in " + context.getDisplayName() + ":\n" + report);
        }
    }
}
