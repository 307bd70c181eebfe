package dev.rendezvous.support;

/** POSIX signals to child processes, beyond the SIGTERM and SIGKILL that {@link Process} sends. */
final class Signals {

    private Signals() {
    }

    /**
     * Sends {@code SIG<name>} through the shell's own {@code kill}: the kill binary (procps) is
     * not on every minimal image.
     */
    static void send(Process process, String name) throws Exception {
        int exit = new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid()).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed with " + exit);
        }
    }
}
