package polygrok.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Has the kernel kill the worker JVM the moment its launcher dies: Linux's parent-death signal, set by
 * util-linux's {@code setpriv --pdeathsig KILL}, which then executes the worker's command in its own
 * process. The check before every write ({@link LauncherWatch}) cannot be atomic with the write itself:
 * a launcher that dies between the two lets one more metrics line or checkpoint through. The signal has
 * no such window: it is sent while the launcher exits, even to a worker that is frozen or in the middle
 * of a computation, so nothing the worker would do afterwards ever happens. Where {@code setpriv} is
 * missing or too old (before util-linux 2.33; every other system), the worker relies on the checks alone.
 *
 * <p>The signal follows the thread that started the worker, not the process: the launcher starts the
 * worker from its main thread and that thread waits for the worker, so the two end together.
 */
final class ParentDeathSignal {
    /** Set to false to start the worker without the signal (e.g. to study the checks on their own). */
    static final String PROPERTY = "polygrok.pdeathsig";
    private static volatile Optional<List<String>> prefix;

    private ParentDeathSignal() {
    }

    /** The words to put before the worker's command, empty when the signal cannot be set here. */
    static List<String> prefix() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return List.of();
        }
        Optional<List<String>> p = prefix;
        if (p == null) {
            p = probe();
            prefix = p;
        }
        return p.orElse(List.of());
    }

    /** Finds setpriv on the PATH and tries it once: an old setpriv rejects the option and exits non-zero. */
    private static Optional<List<String>> probe() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path setpriv = Path.of(dir, "setpriv");
            if (Files.isRegularFile(setpriv) && Files.isExecutable(setpriv)) {
                List<String> words = List.of(setpriv.toString(), "--pdeathsig", "KILL");
                return works(words, setpriv) ? Optional.of(words) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean works(List<String> words, Path setpriv) {
        List<String> trial = new java.util.ArrayList<>(words);
        trial.add(setpriv.toString());
        trial.add("--version");
        try {
            Process p = new ProcessBuilder(trial).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
