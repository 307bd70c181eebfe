package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a process's CPU time and memory from /proc, and a JVM's live heap through {@code jcmd}
 * after a forced full GC. CPU is utime+stime from /proc/&lt;pid&gt;/stat, which counts threads that
 * have already exited, at the kernel's clock-tick resolution (10 ms at USER_HZ=100).
 */
final class ProcessProbe {

    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final long pid;

    ProcessProbe(long pid) {
        this.pid = pid;
    }

    static ProcessProbe self() {
        return new ProcessProbe(ProcessHandle.current().pid());
    }

    long pid() {
        return pid;
    }

    /** User plus system CPU time so far, in nanoseconds. */
    long cpuNanos() {
        String[] fields = statFields();
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /** Seconds since the process started (its start time in /proc/&lt;pid&gt;/stat against /proc/uptime). */
    double ageSeconds() {
        long startTicks = Long.parseLong(statFields()[19]);
        double uptime;
        try {
            uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/uptime", e);
        }
        return uptime - startTicks / 100.0;
    }

    /** System (kernel) CPU time so far, in nanoseconds. */
    long systemNanos() {
        return Long.parseLong(statFields()[12]) * NANOS_PER_TICK;
    }

    /** The fields of /proc/<pid>/stat after the command name: state is field 3, utime 14, stime 15 (1-based, man proc). */
    private String[] statFields() {
        String stat = read("stat");
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    long rssKiB() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    boolean isJvm() {
        return read("cmdline").contains("java");
    }

    /** Live heap after a full GC, in KiB, or -1 when the process is not a JVM. */
    long liveHeapKiB() {
        if (!isJvm()) {
            return -1;
        }
        jcmd("GC.run");
        long used = 0;
        for (String line : jcmd("GC.heap_info").split("\n")) {
            if (!line.contains("total")) {
                continue;
            }
            Matcher m = USED.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
            }
        }
        return used;
    }

    private String jcmd(String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("jcmd " + command + " timed out");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String read(String file) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/" + file + " (has the server exited?)", e);
        }
    }
}
