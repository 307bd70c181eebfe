package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;

/** One group of flags: a picocli mixin that writes what it parsed into the configuration. */
interface Options {

    void applyTo(ServerConfig.Builder config);
}
