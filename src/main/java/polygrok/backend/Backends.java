package polygrok.backend;

import java.util.List;
import java.util.function.Consumer;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;

/** Picks a backend by name: auto, cpu, cpuref or cuda. */
public final class Backends {
    public static final List<String> NAMES = List.of("auto", "cpu", "cpuref", "cuda");

    private Backends() {
    }

    /**
     * @param log receives one line saying which backend runs and, for auto, why
     */
    public static Backend create(String name, Consumer<String> log) {
        return switch (name) {
            case "cpuref" -> new CpuRefBackend();
            case "cpu" -> new CpuBackend();
            case "auto" -> {
                log.accept("backend auto: cpu (no GPU backend in this build)");
                yield new CpuBackend();
            }
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; allowed: " + NAMES);
        };
    }
}
