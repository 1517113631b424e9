package dev.mcu.app.supervision;

/** How a worker process ended, from its exit value (a JVM killed by signal N exits with 128 + N). */
final class ExitCause {

    private ExitCause() {
    }

    static String describe(int exitValue) {
        if (exitValue <= 128 || exitValue > 128 + 64) {
            return "exit code " + exitValue;
        }
        int signal = exitValue - 128;
        String name = switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
        return "killed by " + name;
    }
}
