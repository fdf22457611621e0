package polygrok.cli;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.OptionalInt;

/**
 * Makes {@code java -jar polygrok.jar} run the fast cpu kernels: the Vector API is an incubator
 * module that a JVM only loads when asked on its command line, and a jar manifest cannot ask. When
 * the module is missing, polygrok starts the same JVM binary again with
 * {@code --add-modules jdk.incubator.vector}, the original JVM options and arguments, shares its
 * terminal, and exits with the child's code. If that cannot be done, polygrok goes on without the
 * module and the cpu backend falls back to scalar loops (with a logged warning).
 * {@code -Dpolygrok.vector=false} skips the re-launch.
 */
final class VectorModuleLauncher {
    static final String MODULE = "jdk.incubator.vector";
    /** Set on the child so that it never re-launches again. */
    static final String RELAUNCHED = "polygrok.relaunched";
    private static final System.Logger LOG = System.getLogger("polygrok.cli");

    private VectorModuleLauncher() {
    }

    /** The child's exit code when polygrok was re-launched, empty when this JVM should do the work. */
    static OptionalInt relaunchIfNeeded(String[] args) {
        if (ModuleLayer.boot().findModule(MODULE).isPresent()
                || "false".equalsIgnoreCase(System.getProperty("polygrok.vector"))
                || System.getProperty(RELAUNCHED) != null) {
            return OptionalInt.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            LOG.log(Level.WARNING, "cannot find this JVM's binary to re-launch it with --add-modules " + MODULE
                    + "; continuing without the Vector API");
            return OptionalInt.empty();
        }
        List<String> command = new ArrayList<>(ParentDeathSignal.prefix());
        command.addAll(command(java.get(), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), LauncherWatch.describeCurrent(), args));
        try {
            // started from this (the main) thread, which waits for it below: the parent-death signal follows the
            // starting thread. The worker's stderr passes through a filter that drops the JVM's notice about
            // incubator modules (it would head every command's output); the rest is copied byte for byte as it comes
            Process child = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.PIPE).start();
            Thread stderr = new Thread(() -> copyWithoutNotice(child.getErrorStream(), System.err), "polygrok-worker-stderr");
            stderr.setDaemon(true);
            stderr.start();
            // on Ctrl-C or SIGTERM, pass the stop on and wait while the child writes its checkpoints, so the
            // shell gets its prompt back only when the work is safely stopped
            Thread killChild = new Thread(() -> {
                child.destroy();
                try {
                    child.waitFor(150, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "polygrok-relaunch-stop");
            Runtime.getRuntime().addShutdownHook(killChild);
            int code = child.waitFor();
            stderr.join(2000);
            try {
                Runtime.getRuntime().removeShutdownHook(killChild);
            } catch (IllegalStateException shuttingDown) {
                // the child ended because this JVM is being stopped; its hook already waited for it
            }
            return OptionalInt.of(code);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "re-launching with --add-modules " + MODULE + " failed (" + e.getMessage()
                    + "); continuing without the Vector API");
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(130);
        }
    }

    /** The line the JVM prints on stderr whenever an incubator module is loaded. */
    static final String NOTICE = "WARNING: Using incubator modules: " + MODULE;

    /** Copies the worker's stderr, leaving out the JVM's incubator notice when it is the first line. */
    static void copyWithoutNotice(java.io.InputStream in, java.io.PrintStream out) {
        try (in) {
            byte[] first = new byte[NOTICE.length() + 2];
            int n = 0;
            int b;
            while (n < first.length && (b = in.read()) >= 0) {
                first[n++] = (byte) b;
                if (b == '\n') {
                    break;
                }
            }
            String head = new String(first, 0, n, java.nio.charset.StandardCharsets.UTF_8);
            if (!head.strip().equals(NOTICE)) {
                out.write(first, 0, n);
                out.flush();
            }
            byte[] buf = new byte[8192];
            for (int r; (r = in.read(buf)) >= 0; ) {
                out.write(buf, 0, r);
                out.flush();
            }
        } catch (java.io.IOException e) {
            // the worker is gone; nothing more to copy
        }
    }

    /**
     * java --add-modules MODULE [original JVM options] -Dpolygrok.relaunched=true -Dpolygrok.launcher=LAUNCHER
     * -cp CLASSPATH polygrok.cli.Main ARGS; the worker ends when the launcher does ({@link LauncherWatch},
     * and where the system allows, the kernel: {@link ParentDeathSignal}).
     */
    static List<String> command(String java, List<String> jvmOptions, String classPath, String launcher, String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--add-modules");
        cmd.add(MODULE);
        cmd.addAll(jvmOptions);
        cmd.add("-D" + RELAUNCHED + "=true");
        cmd.add("-D" + LauncherWatch.PROPERTY + "=" + launcher);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
