package dev.rendezvous.config;

/**
 * Where operators read the node: {@code /metrics} and {@code /stats}. Without an admin port they
 * are served on the public port; with one (the production setting) only there.
 *
 * @param port    the admin port, or -1 for none; 0 picks a free one
 * @param host    the admin listener's address
 * @param token   the bearer token that unlocks IDs and addresses in {@code /stats}, or null
 * @param metrics whether meters are recorded and {@code /metrics} served
 */
public record AdminConfig(int port, String host, String token, boolean metrics) {

    public static final AdminConfig DEFAULT = new AdminConfig(-1, "127.0.0.1", null, true);

    public AdminConfig {
        java.util.Objects.requireNonNull(host, "host");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("admin port must be in [0, 65535], got " + port);
        }
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("admin token must be at least 16 characters");
        }
    }

    public boolean separatePort() {
        return port >= 0;
    }

    @Override
    public String toString() {
        return "AdminConfig[port=" + port + ", host=" + host + ", token=" + (token == null ? "none" : "****")
                + ", metrics=" + metrics + "]";
    }
}
