package polygrok.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import polygrok.backend.Backend;
import polygrok.model.Batch;
import polygrok.model.ForwardOptions;
import polygrok.model.ModelGroup;

/**
 * An epoch in minibatches: each run's train set in an order of its own (shuffled from its seed and
 * the epoch, so a resumed run draws the same batches), one AdamW step per batch.
 */
final class MinibatchEpoch {
    private final Backend backend;
    private final int size;
    private final Batch batch;

    /** @param batch the device batch every step uploads into, {@code size} examples per run */
    MinibatchEpoch(Backend backend, int size, Batch batch) {
        this.backend = backend;
        this.size = size;
        this.batch = batch;
    }

    void run(ModelGroup group, List<Trainer.Run> runs, int epoch) {
        run(group, runs.stream().map(Trainer.Run::train).toList(), runs.stream().mapToLong(Trainer.Run::seed).toArray(), epoch);
    }

    /** The epoch on each model's train set, shuffled from its seed (as a run of that seed trains). */
    void run(ModelGroup group, List<ExampleSet> trains, long[] seeds, int epoch) {
        List<int[]> orders = new ArrayList<>();
        for (int i = 0; i < trains.size(); i++) {
            orders.add(permutation(trains.get(i).count(), new Random(seeds[i] * 1_000_003L + epoch)));
        }
        int count = trains.get(0).count();
        for (int from = 0; from < count; from += size) {
            GroupBatches.upload(backend, batch, GroupBatches.slice(trains, orders, from, size));
            backend.runRepeatable("minibatch", () -> {
                group.forwardBackward(batch, ForwardOptions.FAST);
                group.optimizerStep();
            });
        }
    }

    private static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
