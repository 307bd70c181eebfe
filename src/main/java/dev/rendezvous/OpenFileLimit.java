package dev.rendezvous;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open-file limit (the soft {@code RLIMIT_NOFILE}, which HotSpot raises to the hard
 * limit at start), read once when the node starts: it sizes the default {@code --max-connections}.
 */
final class OpenFileLimit {

    private OpenFileLimit() {
    }

    /** The limit, or -1 on a platform that does not report one. */
    static long current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
