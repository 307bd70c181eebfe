package dev.rendezvous.admission;

/**
 * How many sockets the node takes ({@code --max-connections}). By default, the process's
 * open-file limit minus {@link #RESERVED_FILES}: every socket is a file descriptor, and a node that
 * runs out of them fails {@code accept} for everyone (health probes included) instead of answering
 * 503. The reserve keeps descriptors for what is not a counted socket: the JVM's own files,
 * Redis connections, and connections still in their HTTP phase (bounded in time by
 * {@code --handshake-timeout}).
 *
 * @param max    the socket limit in effect
 * @param source how it was chosen, for the start line
 */
public record ConnectionBudget(int max, String source) {

    public static final int RESERVED_FILES = 256;

    /**
     * The limit for {@code --max-connections} = {@code configured}, given the open-file limit
     * (-1 when the platform cannot tell).
     */
    public static ConnectionBudget resolve(int configured, long openFileLimit) {
        if (configured > 0) {
            return new ConnectionBudget(configured, "--max-connections");
        }
        if (openFileLimit <= 0) {
            return new ConnectionBudget(Integer.MAX_VALUE, "no limit: the open-file limit is unknown");
        }
        int max = (int) Math.min(Integer.MAX_VALUE, usable(openFileLimit));
        return new ConnectionBudget(max, "open-file limit " + openFileLimit + " minus " + reserve(openFileLimit));
    }

    /** The reserve, halved for the tiny limits of test containers so that half still serves. */
    private static long reserve(long openFileLimit) {
        return Math.min(RESERVED_FILES, openFileLimit / 2);
    }

    private static long usable(long openFileLimit) {
        return openFileLimit - reserve(openFileLimit);
    }

    /**
     * A warning for the start line when a configured limit cannot be reached because the
     * open-file limit is lower; null otherwise.
     */
    public String warning(long openFileLimit) {
        if (openFileLimit > 0 && max > usable(openFileLimit)) {
            return "--max-connections " + max + " is above the open-file limit " + openFileLimit + " minus "
                    + reserve(openFileLimit) + ": accept() will fail before the node refuses with 503; raise the"
                    + " limit (ulimit -n, LimitNOFILE=)";
        }
        return null;
    }

    @Override
    public String toString() {
        return (max == Integer.MAX_VALUE ? "unlimited" : Integer.toString(max)) + " (" + source + ")";
    }
}
