package dev.gnc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gnc} command: parses, calls the library, prints. No numerics of its own. */
@Command(name = "gnc",
        mixinStandardHelpOptions = true,
        versionProvider = Gnc.Version.class,
        description = "Softmax classification with millions of classes on the CPU: fused cross-entropy, "
                + "sphere kernels and generalized-neural-collapse metrics.",
        subcommands = {InfoCommand.class, TrainCommand.class, CodeCommand.class, LossCommand.class, MetricsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Gnc implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code gnc args}, printing to {@code out} and {@code err}, and returns the exit code. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        // one line per library log record ("WARNING: gnc: ..."), not the JDK's two-line default
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        System.setProperty("java.awt.headless", "true");
        CommandLine commandLine = new CommandLine(new Gnc()).setOut(out).setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // errors the library raised for bad input: one clear line, not a stack trace
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof IOException) {
                cmd.getErr().println("gnc: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version this jar was built as. */
    static String version() {
        try (InputStream in = Gnc.class.getResourceAsStream("gnc.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gnc " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor")
                    + ")"};
        }
    }
}
