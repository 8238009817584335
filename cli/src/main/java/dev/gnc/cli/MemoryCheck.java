package dev.gnc.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Refuses work whose estimated memory the machine does not have, before any of it is allocated. */
final class MemoryCheck {
    /** What the estimate may take of the machine's memory: the JVM, the OS and the page cache need the rest. */
    private static final double USABLE = 0.9;

    private MemoryCheck() {
    }

    /**
     * @param parts bytes by what they hold, as the kernel estimates them
     * @throws IllegalArgumentException naming the total, its largest parts and the machine's memory
     */
    static void require(Map<String, Long> parts, String what) {
        double need = parts.values().stream().mapToDouble(Long::doubleValue).sum(); // a long sum could wrap
        long have = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        if (need > USABLE * have) {
            String breakdown = parts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(3).map(e -> e.getKey() + " " + gib(e.getValue())).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(what + " needs about " + gib(need) + " of memory (" + breakdown
                    + ") but this machine has " + gib(have) + ": lower K, n or d, or train in mini-batches (--batch)");
        }
    }

    static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
