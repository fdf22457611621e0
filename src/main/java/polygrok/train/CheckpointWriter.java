package polygrok.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import polygrok.model.ModelGroup;

/** Writes model i of a group as a checkpoint, in the plan's checkpoint type, with its run's config and seed. */
final class CheckpointWriter {
    private final Trainer.Plan plan;

    CheckpointWriter(Trainer.Plan plan) {
        this.plan = plan;
    }

    /** @param r the run model i of this group trains (after the group shrinks, not the trainer's run i) */
    void write(ModelGroup group, int i, Trainer.Run r, Path file, int epochsDone, double wall) {
        try {
            Checkpoints.write(file, group.model().layout(), ModelState.of(group, i, epochsDone, wall), plan.checkpointType(),
                    r.configJson(), r.seed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
