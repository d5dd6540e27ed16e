package org.neuralgrid.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code neuralgrid} with its subcommands. The Java backend needs the Vector API, an incubator module that a
 * plain {@code java -jar} does not load, and OpenCL drivers need the JVM's signal chaining (see
 * {@link SignalChaining}); rather than make every user type them, Main starts the JVM again with both (once)
 * when either is missing.
 */
@Command(name = "neuralgrid", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train and watch grid-based neural networks (NeuralGrid, Fischer 2021).",
        subcommands = {ServeCommand.class, WorkerCommand.class, TrainCommand.class, SweepCommand.class, EvalCommand.class,
                BenchCommand.class, CheckCommand.class, DataCommand.class, FieldsCommand.class, RenderCommand.class})
public final class Main implements Runnable {
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Set in the relaunched JVM's environment: the launcher's pid. */
    static final String RELAUNCHED = "NEURALGRID_RELAUNCHED";
    /**
     * What Hazelcast reads of the JDK's internals, as it asks for them (without, it warns at every start and runs
     * slower); harmless without --cluster.
     */
    static final List<String> CLUSTER_ACCESS = List.of(
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** How long the launcher waits for its child to stop after passing a signal on. */
    static final long CHILD_STOP_SECONDS = 30;

    public static void main(String[] args) {
        String launcher = System.getenv(RELAUNCHED);
        if (launcher == null && (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty() || SignalChaining.wanted())) {
            System.exit(relaunch(args));
        }
        if (launcher != null) {
            stopWhenLauncherEnds(launcher);
        }
        System.exit(commandLine().execute(withDefaultCommand(args)));
    }

    /**
     * The relaunched JVM stops as if signalled when its launcher goes, even by SIGKILL, which the launcher cannot
     * pass on: nothing must keep serving (and holding the port) after the process the user started is gone.
     */
    private static void stopWhenLauncherEnds(String pid) {
        try {
            ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> sun.misc.Signal.raise(new sun.misc.Signal("TERM"))),
                    () -> sun.misc.Signal.raise(new sun.misc.Signal("TERM")));
        } catch (NumberFormatException e) {
            // started by hand with the variable set to something else: no launcher to watch
        }
    }

    /** {@code neuralgrid} and {@code neuralgrid --port 9000} mean {@code neuralgrid serve ...}. */
    static String[] withDefaultCommand(String[] args) {
        boolean ownOption = args.length > 0 && List.of("-h", "--help", "-V", "--version").contains(args[0]);
        if (args.length == 0 || (args[0].startsWith("-") && !ownOption)) {
            String[] serve = new String[args.length + 1];
            serve[0] = "serve";
            System.arraycopy(args, 0, serve, 1, args.length);
            return serve;
        }
        return args;
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("neuralgrid: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("neuralgrid: " + CliErrors.describe(ex));
            return CliErrors.exitCode(ex);
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    private static int relaunch(String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add(VECTOR_MODULE);
        // SQLite and JOCL load native libraries; the jar's manifest says so, but only for -jar launches
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // the JDK internals Hazelcast reads (with --cluster); the jar's manifest says so too, for -jar launches
        cmd.addAll(CLUSTER_ACCESS);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(RELAUNCHED, Long.toString(ProcessHandle.current().pid()));
        SignalChaining.preload(pb.environment());
        try {
            Process p = pb.start();
            // SIGTERM or SIGINT to the launcher reaches the child as SIGTERM, and the launcher waits for it and
            // exits with its code; on any other way out the launcher still stops the child first
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> p.destroy());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                p.destroy();
                try {
                    p.waitFor(CHILD_STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "neuralgrid-launcher-stop"));
            return p.waitFor();
        } catch (IOException e) {
            System.err.println("neuralgrid: could not start Java with --add-modules " + VECTOR_MODULE + ": "
                    + e.getMessage() + "; run java --add-modules " + VECTOR_MODULE + " -jar neuralgrid.jar");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"neuralgrid " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
