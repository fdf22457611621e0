package polygrok.backend.conformance;

import java.util.Optional;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cuda.CudaBackend;
import polygrok.backend.cuda.CudaProbe;

/**
 * The float32 backends that must agree with the float64 reference. The two cpu entries differ in
 * the kernels they run (Vector API or plain loops) and in their thread counts, so that both the
 * even and the uneven split of work across threads are exercised.
 */
public enum BackendUnderTest {
    CPU_VECTOR("cpu (vector)") {
        @Override
        public Backend open() {
            return new CpuBackend(2, true);
        }

        @Override
        Optional<String> whyUnavailable() {
            // without the incubator module the cpu backend quietly runs its scalar loops; that must not pass as vector
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? Optional.empty()
                    : Optional.of("the JVM runs without --add-modules jdk.incubator.vector, so there is no vector path to test");
        }
    },
    CPU_SCALAR("cpu (scalar)") {
        @Override
        public Backend open() {
            return new CpuBackend(3, false);
        }

        @Override
        Optional<String> whyUnavailable() {
            return Optional.empty();
        }
    },
    CUDA("cuda") {
        @Override
        public Backend open() {
            return new CudaBackend();
        }

        @Override
        Optional<String> whyUnavailable() {
            return CudaProbe.whyUnavailable().map(why -> "no usable GPU: " + why);
        }
    };

    private final String label;

    BackendUnderTest(String label) {
        this.label = label;
    }

    /** A new backend of this kind; the caller closes it. */
    public abstract Backend open();

    /** Empty when this machine can run the backend; otherwise why not (the reason a skipped test reports). */
    abstract Optional<String> whyUnavailable();

    @Override
    public String toString() {
        return label;
    }
}
