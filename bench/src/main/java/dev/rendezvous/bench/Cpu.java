package dev.rendezvous.bench;

import java.util.List;

/** CPU time of the servers and of the generator itself over one measured window. */
final class Cpu {

    private final List<ProcessProbe> servers;
    private final ProcessProbe self = ProcessProbe.self();
    private long serverStart;
    private long serverSystemStart;
    private long selfStart;
    private long wallStart;
    long serverNanos;
    long serverSystemNanos;
    long generatorNanos;
    long wallNanos;

    private final boolean generatorSpins;

    Cpu(List<Long> serverPids, boolean generatorSpins) {
        this.servers = serverPids.stream().map(ProcessProbe::new).toList();
        this.generatorSpins = generatorSpins;
    }

    void start() {
        wallStart = System.nanoTime();
        serverStart = serverTotal();
        serverSystemStart = serverSystem();
        selfStart = self.cpuNanos();
    }

    void stop() {
        wallNanos = System.nanoTime() - wallStart;
        serverNanos = serverTotal() - serverStart;
        serverSystemNanos = serverSystem() - serverSystemStart;
        generatorNanos = self.cpuNanos() - selfStart;
    }

    private long serverTotal() {
        long sum = 0;
        for (ProcessProbe p : servers) {
            sum += p.cpuNanos();
        }
        return sum;
    }

    private long serverSystem() {
        long sum = 0;
        for (ProcessProbe p : servers) {
            sum += p.systemNanos();
        }
        return sum;
    }

    double serverUtilisation() {
        return (double) serverNanos / wallNanos;
    }

    double generatorUtilisation() {
        return (double) generatorNanos / wallNanos;
    }

    /** The generator is the limit when it used (nearly) its whole core, unless it spins by design. */
    boolean generatorLimited() {
        return !generatorSpins && generatorUtilisation() > 0.9;
    }

    void putInto(java.util.Map<String, Object> result, long units, String unitName) {
        result.put("windowSeconds", wallNanos / 1e9);
        result.put("serverCpuSeconds", serverNanos / 1e9);
        result.put("serverCpuUtil", serverUtilisation());
        // The kernel's share: at a fixed rate most of a relayed message's cost is system calls,
        // TCP and wake-ups, paid alike by every server, which bounds any ratio between servers.
        if (serverNanos > 0) {
            result.put("serverKernelShare", (double) serverSystemNanos / serverNanos);
        }
        result.put("generatorCpuSeconds", generatorNanos / 1e9);
        result.put("generatorCpuUtil", generatorUtilisation());
        result.put("generatorLimited", generatorLimited());
        result.put("generatorBusyPoll", generatorSpins);
        if (units > 0) {
            result.put("serverCpuUsPer" + unitName, serverNanos / 1e3 / units);
            result.put("generatorCpuUsPer" + unitName, generatorNanos / 1e3 / units);
        }
    }
}
