package dev.mcu.bench;

import java.util.Arrays;

/** Entry point of {@code bin/bench} and {@code bin/run}: one sub-command per benchmark or demo. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "room" -> LiveRoom.main(rest);
            case "avsync" -> AvSyncBench.main(rest);
            case "idle" -> IdleRoomBench.main(rest);
            case "capacity" -> dev.mcu.bench.capacity.CapacityBench.main(rest);
            case "quality" -> QualityBench.main(rest);
            case "join" -> JoinTimeBench.main(rest);
            case "failover" -> FailoverBench.main(rest);
            case "churn" -> ChurnBench.main(rest);
            case "link" -> dev.mcu.bench.net.LinkBench.main(rest);
            case "burst" -> JoinBurstBench.main(rest);
            case "janus" -> dev.mcu.bench.janus.JanusBench.main(rest);
            case "recording" -> RecordingBench.main(rest);
            case "stream" -> RecordingBench.stream(rest);
            case "scheduler" -> SchedulerBench.main(rest);
            default -> {
                System.err.println("usage: bench room [participants] [seconds] | avsync [seconds] [participants] | idle [seconds] | capacity [rounds] [seconds] [warmup] [codec] [shared] | capacity curve [rounds] [seconds] [warmup] [codec] [maxN] | quality [seconds] [kbps] [codec...] | join [joins] [base URL] | failover [kills] [KILL|ABRT] [participants] [base URL] | churn [cycles] [participants] [base URL] | link [seconds] [kbps,...] [base URL] | burst [joiners] [rounds] | recording [rounds] [seconds] [participants] [base URL] [admin key] | stream (the same args) | scheduler [rounds] [rooms] [workers]");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    public static int intArg(String[] args, int index, int dflt, int min, int max, String name) {
        if (args.length <= index) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(args[index]);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            System.err.println(name + " must be an integer in [" + min + ", " + max + "], was " + args[index]);
            System.exit(2);
            return dflt;
        }
    }
}
