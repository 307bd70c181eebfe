package dev.rendezvous.cli;

import dev.rendezvous.Version;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"rendezvous " + Version.current()};
    }
}
