package dev.rendezvous.bench;

import java.util.Map;

/** One load pattern. Returns its figures; {@code "ok": false} with {@code "failure"} when it failed. */
interface Scenario {

    Map<String, Object> run(Settings settings) throws Exception;

    static Scenario named(String name) {
        return switch (name) {
            case "idle" -> new IdleScenario();
            case "pingpong" -> new PingPongScenario();
            case "rate" -> new RateScenario();
            case "flood" -> new FloodScenario();
            case "connect" -> new ConnectScenario();
            case "coldstart" -> new ColdStartScenario();
            case "held" -> new HeldScenario();
            default -> throw new IllegalArgumentException("unknown scenario " + name
                    + " (idle|pingpong|rate|flood|connect|coldstart|held)");
        };
    }
}
