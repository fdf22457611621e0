package polygrok.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import polygrok.model.ModelGroup;

/** Writes model i of a group as a checkpoint, in the plan's checkpoint type, with its run's config and seed. */
final class CheckpointWriter {
    private final Trainer.Plan plan;
    private final List<Trainer.Run> runs;

    /** @param runs the trainer's runs; {@code i} picks the config and seed recorded in the file */
    CheckpointWriter(Trainer.Plan plan, List<Trainer.Run> runs) {
        this.plan = plan;
        this.runs = runs;
    }

    void write(ModelGroup group, int i, Path file, int epochsDone, double wall) {
        Trainer.Run r = runs.get(i);
        try {
            Checkpoints.write(file, group.model().layout(), ModelState.of(group, i, epochsDone, wall), plan.checkpointType(),
                    r.configJson(), r.seed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
