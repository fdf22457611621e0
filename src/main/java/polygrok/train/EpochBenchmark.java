package polygrok.train;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import polygrok.backend.Backend;
import polygrok.model.Initializer;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;

/**
 * Times whole epochs of a group of M models after a warm-up. An epoch is what training does at an
 * eval epoch: forward + backward + AdamW on the full train set, the test set's forward, and the host
 * reading the per-example losses and accuracies back.
 */
public final class EpochBenchmark {

    /** Seconds per epoch, and what the epoch had to compute. */
    public record Result(String backend, int models, int epochs, int warmup, double medianSeconds, double minSeconds,
                         double maxSeconds, double examplesPerSecond, double gflop, double gflopPerSecond, double peakHeapMb) {

        /** The JSON that `polygrok bench` prints and bench/compare.sh reads. */
        public com.google.gson.JsonObject toJson() {
            var o = new com.google.gson.JsonObject();
            o.addProperty("backend", backend);
            o.addProperty("models", models);
            o.addProperty("epochs", epochs);
            o.addProperty("warmup", warmup);
            o.addProperty("median_s", medianSeconds);
            o.addProperty("min_s", minSeconds);
            o.addProperty("max_s", maxSeconds);
            o.addProperty("examples_per_s", examplesPerSecond);
            o.addProperty("gflop", gflop);
            o.addProperty("gflop_per_s", gflopPerSecond);
            o.addProperty("peak_heap_mb", peakHeapMb);
            return o;
        }
    }

    private EpochBenchmark() {
    }

    public static Result run(Backend backend, ModelSpec spec, List<ExampleSet> train, List<ExampleSet> test,
                             List<OptimizerSettings> optimizers, long[] seeds, int warmup, int epochs) {
        Model model = Model.of(spec);
        ModelGroup group = new ModelGroup(backend, model, optimizers, Set.of());
        backend.upload(group.params().block(), Initializer.initialValues(model.layout(), seeds));
        FullBatchEpoch epoch = new FullBatchEpoch(group, GroupBatches.full(backend, train), GroupBatches.full(backend, test));
        Runtime rt = Runtime.getRuntime();
        long peakHeap = 0;
        double[] seconds = new double[epochs];
        for (int e = -warmup; e < epochs; e++) {
            long t0 = System.nanoTime();
            epoch.run(true);
            backend.toDoubles(epoch.trainLoss().perExample());
            backend.toDoubles(epoch.testLoss().perExample());
            long t1 = System.nanoTime();
            if (e >= 0) {
                seconds[e] = (t1 - t0) / 1e9;
            }
            peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        int m = seeds.length;
        int nTrain = train.get(0).count(), nTest = test.get(0).count();
        double gflop = m * EpochFlopCount.of(spec, nTrain, nTest).gflop();
        return new Result(backend.name(), m, epochs, warmup, median, sorted[0], sorted[sorted.length - 1],
                m * (nTrain + nTest) / median, gflop, gflop / median, peakHeap / 1048576.0);
    }
}
