package polygrok.config;

/**
 * One point of a sweep's grid: a complete experiment, named after the axis values that made it.
 * Its runs (one per seed) land in SWEEP_DIR/NAME/seed_S, as `polygrok train --out SWEEP_DIR` would
 * write them for this config.
 */
public record SweepPoint(String name, ExperimentConfig config) {
    public SweepPoint {
        if (config == null || !config.name().equals(name)) {
            throw new IllegalArgumentException("sweep point " + name + " must carry a config of the same name, got "
                    + (config == null ? null : config.name()));
        }
    }
}
