package polygrok.config;

import java.util.List;
import java.util.Set;

/**
 * Where a run's weights start, with the seed's component names: full, embed (embed.W_E),
 * transformer (every blocks.* tensor), unembed (unembed.W_U).
 *
 * @param checkpoint   safetensors file to load from; null when nothing is loaded. {@value #SEED} in it
 *                     stands for the run's seed, so that seed s fine-tunes from a source's seed s; in a
 *                     sweep file {@value #OUT} stands for the sweep's output directory (OUT/NAME), so a
 *                     later stage can start from an earlier stage's runs wherever --out puts them
 * @param load         components taken from the checkpoint (default ["full"] when a checkpoint is given)
 * @param freeze       loaded components that are not updated (nor decayed)
 * @param freezeRandom components that keep their random initialisation, frozen (the seed's random frozen embedding)
 * @param keyPrefix    prefix of the tensor names in the checkpoint (e.g. "param."); "" for none
 * @param loadOptimizer also take AdamW's moments of the loaded tensors and the step count from the checkpoint
 *                     (opt.m.NAME / opt.v.NAME; a .pth's optimizer state), so training continues rather than restarts
 */
public record InitConfig(String checkpoint, List<String> load, List<String> freeze, List<String> freezeRandom,
                         String keyPrefix, boolean loadOptimizer) {
    public static final Set<String> COMPONENTS = Set.of("full", "embed", "transformer", "unembed");
    /** The placeholder in {@link #checkpoint} that each run replaces with its seed. */
    public static final String SEED = "{seed}";
    /** The placeholder in {@link #checkpoint} that a sweep replaces with its output directory. */
    public static final String OUT = "{out}";

    public InitConfig(String checkpoint, List<String> load, List<String> freeze, List<String> freezeRandom, String keyPrefix) {
        this(checkpoint, load, freeze, freezeRandom, keyPrefix, false);
    }

    public InitConfig {
        load = load == null ? (checkpoint == null ? List.of() : List.of("full")) : List.copyOf(load);
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        freezeRandom = freezeRandom == null ? List.of() : List.copyOf(freezeRandom);
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        checkComponents("load", load);
        checkComponents("freeze", freeze);
        checkComponents("freeze_random", freezeRandom);
        if (checkpoint != null && checkpoint.isBlank()) {
            throw new ConfigException("checkpoint", "is empty; give a safetensors path or leave it out");
        }
        if (checkpoint != null && checkpoint.replace(SEED, "").replace(OUT, "").matches(".*[{}].*")) {
            throw new ConfigException("checkpoint", "\"" + checkpoint + "\" has a brace that is not part of a placeholder; allowed: "
                    + SEED + " (the run's seed) and, in a sweep file, " + OUT + " (the sweep's output directory), e.g. "
                    + OUT + "/sources/add_f0.3/seed_" + SEED + "/checkpoints/final.safetensors");
        }
        if (checkpoint == null && !load.isEmpty()) {
            throw new ConfigException("load", load + " needs a checkpoint to load from; set init.checkpoint");
        }
        if (checkpoint != null && load.isEmpty()) {
            throw new ConfigException("load", "is empty but a checkpoint is given; allowed: any of " + sorted());
        }
        for (int i = 0; i < freeze.size(); i++) {
            if (!covers(load, freeze.get(i))) {
                throw new ConfigException("freeze[" + i + "]", "\"" + freeze.get(i) + "\" is not loaded (load is " + load
                        + "); freeze loaded components, or use freeze_random for a random frozen one");
            }
        }
        for (int i = 0; i < freezeRandom.size(); i++) {
            String c = freezeRandom.get(i);
            for (String l : load) {
                if (covers(List.of(l), c) || covers(List.of(c), l)) {
                    throw new ConfigException("freeze_random[" + i + "]", "\"" + c + "\" is also loaded (load is " + load
                            + "); a component is either loaded or kept random");
                }
            }
        }
        if (loadOptimizer && checkpoint == null) {
            throw new ConfigException("load_optimizer", "needs a checkpoint to take the moments from; set init.checkpoint");
        }
        if (checkpoint == null && freezeRandom.isEmpty()) {
            throw new ConfigException("", "init has neither a checkpoint nor freeze_random; leave init out for a fresh start");
        }
    }

    /** The checkpoint file of the run with this seed: {@link #checkpoint} with {@value #SEED} replaced (null without one). */
    public String checkpointFor(long seed) {
        if (checkpoint != null && checkpoint.contains(OUT)) {
            throw new ConfigException("init.checkpoint", "\"" + checkpoint + "\" uses " + OUT
                    + ", which only a sweep file knows (its output directory); give the path itself");
        }
        return checkpoint == null ? null : checkpoint.replace(SEED, Long.toString(seed));
    }

    /** This init with {@value #OUT} in the checkpoint path replaced by a sweep's output directory. */
    public InitConfig withOut(String sweepOut) {
        return checkpoint == null ? this : new InitConfig(checkpoint.replace(OUT, sweepOut), load, freeze, freezeRandom, keyPrefix, loadOptimizer);
    }

    private static boolean covers(List<String> set, String component) {
        return set.contains("full") || set.contains(component);
    }

    private static void checkComponents(String field, List<String> list) {
        for (int i = 0; i < list.size(); i++) {
            if (!COMPONENTS.contains(list.get(i))) {
                String near = Names.nearest(String.valueOf(list.get(i)), COMPONENTS);
                throw new ConfigException(field + "[" + i + "]", "\"" + list.get(i) + "\" is not a component; allowed: "
                        + sorted() + (near == null ? "" : " (did you mean \"" + near + "\"?)"));
            }
        }
        if (list.stream().distinct().count() != list.size()) {
            throw new ConfigException(field, list + " names a component twice");
        }
    }

    private static String sorted() {
        return "full, embed, transformer, unembed";
    }
}
