package polygrok.backend.select;

import java.util.List;
import java.util.function.Consumer;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.backend.cuda.CudaBackend;
import polygrok.backend.cuda.CudaProbe;

/** Picks a backend by name: auto, cpu, cpuref or cuda. */
public final class Backends {
    public static final List<String> NAMES = polygrok.config.ExperimentConfig.BACKENDS; // the one list, kept with the config

    private Backends() {
    }

    /**
     * @param log receives one line saying which backend runs and, for auto, why
     */
    public static Backend create(String name, Consumer<String> log) {
        return switch (name) {
            case "cpuref" -> new CpuRefBackend();
            case "cpu" -> new CpuBackend();
            case "cuda" -> {
                var why = CudaProbe.whyUnavailable();
                if (why.isPresent()) {
                    throw new IllegalStateException("--backend cuda is not usable here: " + why.get()
                            + "; use --backend cpu (or auto)");
                }
                yield new CudaBackend();
            }
            case "auto" -> {
                var why = CudaProbe.whyUnavailable();
                if (why.isEmpty()) {
                    log.accept("backend auto: cuda");
                    yield new CudaBackend();
                }
                log.accept("backend auto: cpu, since cuda is not usable (" + why.get() + ")");
                yield new CpuBackend();
            }
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; allowed: " + NAMES);
        };
    }
}
