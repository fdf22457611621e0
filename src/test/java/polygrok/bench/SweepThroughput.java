package polygrok.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.ExperimentConfig;
import polygrok.config.SweepConfig;
import polygrok.config.SweepLoader;
import polygrok.io.SafeDType;
import polygrok.tensor.DType;
import polygrok.train.Experiments;
import polygrok.train.InitialWeights;
import polygrok.train.Trainer;

/**
 * Sweep throughput: the runs of a sweep point trained as one group on the model axis vs the same
 * runs one after another, in one JVM, after a warm-up of both, alternating the order each
 * repetition. Throughput = epochs x models / second of training (nothing is written to disk).
 * It lives with the tests so that every build compiles it against the current trainer (it is no test:
 * surefire does not pick it up); bench/sweep_throughput.sh runs it from target/test-classes:
 *
 *   mvn -B -q package -DskipTests && bench/sweep_throughput.sh [SWEEP] [BACKEND] [EPOCHS] [REPS]
 */
public class SweepThroughput {
    public static void main(String[] args) throws Exception {
        Path sweepFile = Path.of(args.length > 0 ? args[0] : "configs/quick/sweep_add.json");
        String backendName = args.length > 1 ? args[1] : "cpu";
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        SweepConfig sweep = SweepLoader.load(sweepFile);
        ExperimentConfig c = sweep.points().get(0).config().withEpochs(epochs);
        List<String> log = new ArrayList<>();
        try (Backend backend = Backends.create(backendName, log::add)) {
            var spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
            SafeDType type = backend.dtype() == DType.F64 ? SafeDType.F64 : SafeDType.F32;
            Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, false, type);
            List<Trainer.Run> runs = Experiments.runs(c, null, InitialWeights.FRESH);
            int m = runs.size();
            Trainer.Listener quiet = new Trainer.Listener() {
                @Override
                public void message(String text) {
                }
            };
            // warm-up: both shapes of work, so the JIT has compiled what each will run
            Trainer.Plan warm = Experiments.plan(c.withEpochs(Math.max(20, epochs / 5)), spec, InitialWeights.FRESH, false, type);
            new Trainer(backend, warm, runs, quiet, null, null).train();
            new Trainer(backend, warm, runs.subList(0, 1), quiet, null, null).train();
            double[] grouped = new double[reps], oneByOne = new double[reps];
            for (int r = 0; r < reps; r++) {
                boolean groupFirst = r % 2 == 0;
                if (groupFirst) {
                    grouped[r] = time(() -> new Trainer(backend, plan, runs, quiet, null, null).train());
                }
                oneByOne[r] = time(() -> {
                    for (Trainer.Run run : runs) {
                        new Trainer(backend, plan, List.of(run), quiet, null, null).train();
                    }
                });
                if (!groupFirst) {
                    grouped[r] = time(() -> new Trainer(backend, plan, runs, quiet, null, null).train());
                }
            }
            double g = median(grouped), s = median(oneByOne);
            var os = ManagementFactory.getOperatingSystemMXBean();
            String json = String.format(Locale.ROOT, "{\"sweep\": \"%s\", \"config\": \"%s\", \"backend\": \"%s\", \"models\": %d, \"epochs\": %d,"
                            + " \"reps\": %d, \"grouped_s\": %s, \"one_by_one_s\": %s, \"grouped_epochs_models_per_s\": %.2f,"
                            + " \"one_by_one_epochs_models_per_s\": %.2f, \"ratio\": %.3f, \"cpu\": \"%s\", \"cores\": %d,"
                            + " \"load_average_1min\": %.2f, \"java\": \"%s\"}",
                    sweepFile, c.name(), backend.name(), m, epochs, reps, Arrays.toString(grouped), Arrays.toString(oneByOne),
                    epochs * m / g, epochs * m / s, s / g, cpuModel(), Runtime.getRuntime().availableProcessors(),
                    os.getSystemLoadAverage(), System.getProperty("java.version"));
            log.forEach(line -> System.err.println("polygrok: " + line));
            System.out.println(json);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static double time(Work w) throws Exception {
        long t = System.nanoTime();
        w.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replace("\"", "'");
                }
            }
        } catch (Exception ignored) {
            // not Linux: the architecture has to do
        }
        return System.getProperty("os.arch");
    }
}
