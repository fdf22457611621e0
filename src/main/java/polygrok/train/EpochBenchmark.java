package polygrok.train;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.model.Batch;
import polygrok.model.Initializer;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;

/**
 * Times whole epochs of a group of M models after a warm-up. A full-batch epoch is what training
 * does at an eval epoch: forward + backward + AdamW on the full train set, the test set's forward,
 * and the host reading the per-example losses and accuracies back. With a batch size below the
 * train set, an epoch is the minibatch steps training takes (each model's train set shuffled from
 * its seed, one AdamW step per batch), then the test set's forward and its per-example rows read
 * back: the same work as a full-batch epoch, in steps (bench/shape_peer.py times the same).
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

    /** Whether {@link #run} times minibatch epochs for this batch size (0: none) and train set. */
    public static boolean minibatches(int batchSize, int trainCount) {
        return batchSize > 0 && batchSize < trainCount;
    }

    /**
     * @param batchSize examples per step, or 0 for full-batch epochs (as training reads {@code batch_size})
     * @param loss      the loss the epochs train and evaluate with (as training reads {@code loss} and
     *                  {@code loss_precision}); refused, as training refuses it, where the backend lacks it
     */
    public static Result run(Backend backend, ModelSpec spec, List<ExampleSet> train, List<ExampleSet> test,
                             List<OptimizerSettings> optimizers, long[] seeds, int batchSize, LossMode loss, int warmup, int epochs) {
        Model model = Model.of(spec);
        ModelGroup group = new ModelGroup(backend, model, optimizers, Set.of());
        group.useLoss(loss);
        backend.upload(group.params().block(), Initializer.initialValues(model.layout(), seeds));
        Batch testFull = GroupBatches.full(backend, test);
        FullBatchEpoch fullBatch = new FullBatchEpoch(group, GroupBatches.full(backend, train), testFull);
        MinibatchEpoch minibatch = minibatches(batchSize, train.get(0).count())
                ? new MinibatchEpoch(backend, batchSize, GroupBatches.allocate(backend, seeds.length, batchSize, spec.nCtx()))
                : null;
        Runtime rt = Runtime.getRuntime();
        long peakHeap = 0;
        double[] seconds = new double[epochs];
        for (int e = -warmup; e < epochs; e++) {
            long t0 = System.nanoTime();
            if (minibatch == null) {
                fullBatch.run(true);
                backend.toDoubles(fullBatch.trainLoss().perExample());
                backend.toDoubles(fullBatch.testLoss().perExample());
            } else {
                minibatch.run(group, train, seeds, e + warmup);
                backend.toDoubles(group.evaluate(testFull).perExample());
            }
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
