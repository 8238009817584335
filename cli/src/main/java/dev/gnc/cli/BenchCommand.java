package dev.gnc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gnc bench}: quick measurements on the user's own machine (JMH is the reference). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Quick measurements on this machine; bench/target/benchmarks.jar (JMH) is the reference.",
        subcommands = {CeBenchCommand.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
