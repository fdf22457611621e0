package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.model.Batch;
import polygrok.model.Initializer;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/** M models trained in one group give, slice by slice, exactly what each gives alone (M = 1). */
class ModelAxisTest {
    private static final ModelSpec SPEC = new ModelSpec(ModelSpec.ModelType.TRANSFORMER, 11, 3, 8, 2, 2, 12, 0,
            Activation.GELU, false, false, 1);

    private static Batch batch(Backend be, int[][] tokens, int[][] labels) {
        int m = tokens.length, b = labels[0].length;
        int[] tok = new int[m * b * 3], lab = new int[m * b];
        double[] w = new double[m * b];
        for (int i = 0; i < m; i++) {
            System.arraycopy(tokens[i], 0, tok, i * b * 3, b * 3);
            System.arraycopy(labels[i], 0, lab, i * b, b);
        }
        java.util.Arrays.fill(w, 1.0 / b);
        Tensor weights = be.zeros(Shape.of(m, b));
        be.upload(weights, w);
        return new Batch(be.ints(Shape.of(m, b, 3), tok), be.ints(Shape.of(m, b), lab), weights);
    }

    @Test
    void eachSliceOfAGroupOfThreeEqualsTheSingleRun() {
        Backend be = new CpuRefBackend();
        Model model = Model.of(SPEC);
        long[] seeds = {3, 4, 5};
        double[] lrs = {1e-3, 3e-3, 1e-2};
        Random rng = new Random(7);
        int b = 6;
        int[][] tokens = new int[3][b * 3], labels = new int[3][b];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < b * 3; j++) {
                tokens[i][j] = rng.nextInt(11);
            }
            for (int j = 0; j < b; j++) {
                labels[i][j] = rng.nextInt(11);
            }
        }
        List<OptimizerSettings> settings = new ArrayList<>();
        for (double lr : lrs) {
            settings.add(new OptimizerSettings(lr, 1.0, 0.9, 0.98, 1e-8, 2, 0));
        }
        ModelGroup group = new ModelGroup(be, model, settings, Set.of());
        be.upload(group.params().block(), Initializer.initialValues(model.layout(), seeds));
        Batch all = batch(be, tokens, labels);
        for (int s = 0; s < 3; s++) {
            group.trainStep(all);
        }
        double[] groupParams = be.toDoubles(group.params().block());
        double[] groupLoss = be.toDoubles(group.evaluate(all).loss());
        long p = model.layout().total();
        for (int i = 0; i < 3; i++) {
            ModelGroup single = new ModelGroup(be, model, List.of(settings.get(i)), Set.of());
            be.upload(single.params().block(), Initializer.initialValues(model.layout(), new long[]{seeds[i]}));
            Batch one = batch(be, new int[][]{tokens[i]}, new int[][]{labels[i]});
            for (int s = 0; s < 3; s++) {
                single.trainStep(one);
            }
            double[] mine = be.toDoubles(single.params().block());
            for (int j = 0; j < p; j++) {
                assertEquals(mine[j], groupParams[(int) (i * p + j)], 0.0,
                        "model " + i + " parameter element " + j + " differs between the group and the single run");
            }
            assertEquals(be.toDoubles(single.evaluate(one).loss())[0], groupLoss[i], 0.0, "loss of model " + i);
        }
    }
}
