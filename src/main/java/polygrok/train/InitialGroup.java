package polygrok.train;

import java.util.List;
import polygrok.backend.Backend;
import polygrok.model.Initializer;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.model.OptimizerSettings;
import polygrok.tensor.DType;

/**
 * The group a training call starts from: its memory checked first on a backend whose tensors live
 * on the heap, every model seeded, then each run's overrides (fine-tuning) and optimizer start
 * (init.load_optimizer) patched into its model.
 */
final class InitialGroup {
    private InitialGroup() {
    }

    static ModelGroup build(Backend backend, Trainer.Plan plan, Model model, List<Trainer.Run> runs) {
        int m = runs.size();
        if (backend.tensorsOnHeap()) {
            var filter = runs.get(0).optimizer().gradFilter();
            MemoryCheck.check(plan.spec(), model.layout().total(), m, runs.get(0).train().count(), runs.get(0).test().count(),
                    backend.dtype() == DType.F64 ? 8 : 4, filter == null ? 0 : filter.stateSlots(),
                    Runtime.getRuntime().maxMemory());
        }
        List<OptimizerSettings> optimizers = runs.stream().map(Trainer.Run::optimizer).toList();
        ModelGroup group = new ModelGroup(backend, model, optimizers, plan.frozen());
        group.useLoss(plan.loss());
        long[] seeds = runs.stream().mapToLong(Trainer.Run::seed).toArray();
        backend.upload(group.params().block(), Initializer.initialValues(model.layout(), seeds));
        for (int i = 0; i < m; i++) {
            if (!runs.get(i).overrides().isEmpty()) {
                ModelState.patch(group, group.params().block(), i, runs.get(i).overrides());
            }
            InitialWeights.OptimizerStart start = runs.get(i).optimizerStart();
            if (start != null) {
                ModelState.patch(group, group.moment1().block(), i, start.moment1());
                ModelState.patch(group, group.moment2().block(), i, start.moment2());
                double[] steps = backend.toDoubles(group.steps());
                steps[i] = start.step();
                backend.upload(group.steps(), steps);
            }
        }
        return group;
    }
}
