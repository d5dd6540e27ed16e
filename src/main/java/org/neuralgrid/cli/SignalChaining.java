package org.neuralgrid.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.management.ObjectName;

/**
 * The JVM's own signal handlers against those of native libraries. HotSpot takes SIGSEGV, SIGBUS, SIGFPE, SIGILL
 * and SIGUSR2 for itself (implicit null checks, stack banging, safepoints, thread suspension) and writes an
 * hs_err report when one is a real crash. LLVM, which OpenCL drivers use to compile kernels (PoCL's libLLVM here,
 * NVIDIA's NVVM compiler), installs its own handlers for those signals: on PoCL a build that reports errors leaves
 * libLLVM's handler on SIGSEGV, SIGILL, SIGBUS and SIGUSR2 in place of the JVM's (shown by
 * {@link #replacedHandlers()}). A JVM whose handlers are gone dies of the next signal it meant for itself, at a
 * random point and with no hs_err file: what {@code check} showed on the H200.
 *
 * <p>The JVM's remedy is signal chaining: {@code libjsig.so} preloaded keeps the JVM's handlers installed and
 * hands other libraries' signals on to theirs. The launcher ({@link Main}) starts the working JVM with it; set
 * {@value #SWITCH}=off to run without (to compare).
 */
final class SignalChaining {
    static final String SWITCH = "NEURALGRID_SIGNAL_CHAINING";
    static final String LIBRARY = "libjsig.so";
    private static final List<String> JVM_SIGNALS = List.of("SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGUSR2");

    private SignalChaining() {
    }

    /** This JVM's libjsig.so, where there is one (Linux) and chaining is not switched off. */
    static Optional<Path> library() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || "off".equalsIgnoreCase(System.getenv(SWITCH))) {
            return Optional.empty();
        }
        Path lib = Path.of(System.getProperty("java.home"), "lib", LIBRARY);
        return Files.isRegularFile(lib) ? Optional.of(lib) : Optional.empty();
    }

    /** Whether libjsig.so is loaded in this process. */
    static boolean active() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("/" + LIBRARY);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether this JVM should be started again with chaining: it could have it and has not. */
    static boolean wanted() {
        return library().isPresent() && !active();
    }

    /** Puts libjsig.so first in {@code LD_PRELOAD} of a child's environment. */
    static void preload(Map<String, String> environment) {
        library().ifPresent(lib -> {
            String before = environment.get("LD_PRELOAD");
            environment.put("LD_PRELOAD", lib + (before == null || before.isBlank() ? "" : ":" + before));
        });
    }

    /**
     * The JVM signals whose handler is no longer the JVM's, as the JVM itself reports them ("SIGSEGV: ... in
     * libLLVM-15.so.1"); empty when all are the JVM's, or when the report cannot be read. Without chaining a
     * non-empty answer means the JVM can die without a report.
     */
    static List<String> replacedHandlers() {
        String info;
        try {
            info = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                    new Object[] {null}, new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            return List.of();
        }
        List<String> replaced = new ArrayList<>();
        int at = info.indexOf("Signal Handlers:");
        if (at < 0) {
            return replaced;
        }
        for (String line : info.substring(at).lines().skip(1).limit(40).toList()) {
            String t = line.trim();
            int colon = t.indexOf(':');
            if (colon > 0 && JVM_SIGNALS.contains(t.substring(0, colon)) && !t.contains("libjvm.so")) {
                replaced.add(t.substring(0, Math.min(t.length(), t.indexOf(", mask") > 0 ? t.indexOf(", mask")
                        : t.length())));
            }
        }
        return replaced;
    }

    /** One line for {@code check}: whether this JVM is safe from drivers that take its signals. */
    static String report() {
        if (active()) {
            return "JVM signal handlers: chained through " + LIBRARY + " (a driver's own handlers cannot displace"
                    + " the JVM's)";
        }
        List<String> replaced = replacedHandlers();
        if (replaced.isEmpty()) {
            return "JVM signal handlers: the JVM's own; " + LIBRARY + " is not loaded";
        }
        return "WARNING: native code replaced the JVM's signal handlers (" + String.join("; ", replaced)
                + "): this JVM can die without a report; start it through the launcher (java -jar without"
                + " --add-modules) or with LD_PRELOAD=" + Path.of(System.getProperty("java.home"), "lib", LIBRARY);
    }
}
