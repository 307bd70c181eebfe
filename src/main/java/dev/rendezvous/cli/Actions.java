package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;
import java.io.PrintWriter;

/**
 * What the commands do once their flags are read; the composition root implements it, so this
 * package stays free of everything but picocli and the configuration.
 */
public interface Actions {

    /** Runs the node until it is told to stop; returns the exit code. */
    int serve(ServerConfig config);

    /**
     * Checks what the configuration alone cannot: that key, certificate and secret files load.
     * Throws {@link IllegalArgumentException} with a one-line reason.
     */
    void check(ServerConfig config);

    /** Prints a grant signed with the first configured HS256 secret. */
    void mintToken(ServerConfig config, TokenRequest request, PrintWriter out);
}
