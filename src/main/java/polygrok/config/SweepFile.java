package polygrok.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a sweep file holds: one sweep, or stages that run in order, each a sweep of its own. A later
 * stage can fine-tune from an earlier stage's runs: {@value InitConfig#OUT} in its init checkpoint
 * paths is the file's output directory, OUT/NAME (Table 1: pre-train the sources, then the
 * downstream tasks from their embeddings or blocks).
 *
 * @param name   the file's name; its output directory is OUT/NAME
 * @param stages the sweeps, in the order they train; one for a plain sweep file
 * @param staged whether the file declared "stages" (each stage then writes OUT/NAME/STAGE)
 */
public record SweepFile(String name, List<SweepConfig> stages, boolean staged) {
    public SweepFile {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new ConfigException("stages", "is empty; give at least one stage (a sweep object)");
        }
        if (!staged && stages.size() != 1) {
            throw new IllegalArgumentException("a plain sweep file holds exactly one sweep");
        }
        var names = new HashSet<String>();
        for (int i = 0; i < stages.size(); i++) {
            if (!names.add(stages.get(i).name())) {
                throw new ConfigException("stages[" + i + "].name", "\"" + stages.get(i).name() + "\" names two stages;"
                        + " each stage writes a directory of that name, so give each its own");
            }
        }
    }

    /** Where the file's runs go: OUT/NAME. */
    public Path outputDir(Path out) {
        return out.resolve(name);
    }

    /** Where a stage's runs go: OUT/NAME/STAGE for a staged file, OUT/NAME for a plain one. */
    public Path stageDir(Path out, SweepConfig stage) {
        return staged ? outputDir(out).resolve(stage.name()) : outputDir(out);
    }

    /** The stages with {@value InitConfig#OUT} resolved against OUT and another change applied to each (overrides). */
    public List<SweepConfig> resolved(Path out, UnaryOperator<SweepConfig> change) {
        String sweepOut = outputDir(out).toString();
        return stages.stream().map(s -> change.apply(s.withOut(sweepOut))).toList();
    }

    /** Runs over every stage (points x seeds). */
    public int runCount() {
        return stages.stream().mapToInt(SweepConfig::runCount).sum();
    }
}
