package polygrok.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import polygrok.config.ConfigException;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;

/**
 * `polygrok finetune CONFIG --checkpoint PATH [--load C] [--freeze C] [--freeze-random C]`: train
 * a config starting from a checkpoint's weights (the seed's "pre-grokked embedding" and
 * "pre-grokked model" runs). The flags fill the config's `init` section; a flag left out keeps
 * the config's own init value, if it has one.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Train an experiment starting from a checkpoint's weights, some of them frozen.",
                "Components: full, embed (embed.W_E), transformer (every blocks.* tensor), unembed (unembed.W_U).",
                "Example: polygrok finetune configs/quick/subtract.json"
                        + " --checkpoint runs/quick_add/seed_0/checkpoints/final.safetensors --load embed --freeze embed"})
final class FinetuneCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Option(names = "--checkpoint", paramLabel = "PATH",
            description = "safetensors file to load (a polygrok checkpoint or any file with the seed's tensor names);"
                    + " needed unless the config's init names one")
    Path checkpoint;

    @Option(names = "--load", paramLabel = "C", split = ",",
            description = "components to load (repeatable or comma-separated; default: full)")
    List<String> load;

    @Option(names = "--freeze", paramLabel = "C", split = ",",
            description = "loaded components that are neither updated nor decayed")
    List<String> freeze;

    @Option(names = "--freeze-random", paramLabel = "C", split = ",",
            description = "components kept at their random initialisation, frozen")
    List<String> freezeRandom;

    @Option(names = "--key-prefix", paramLabel = "P",
            description = "prefix of the tensor names in the checkpoint, e.g. param. for the reference files")
    String keyPrefix;

    @Option(names = "--name", paramLabel = "NAME",
            description = "run name (default: the config's name plus what is loaded and frozen, e.g. quick_subtract_ft_load_embed_frozen_embed)")
    String name;

    /** The config file with the training overrides, the init flags and the run name applied. */
    ExperimentConfig resolved() {
        ExperimentConfig c = options.resolved();
        InitConfig init = initFrom(c.init());
        if (name != null) {
            c = c.withName(name);
        } else if (!init.equals(c.init())) {
            // a fine-tuned run must not overwrite (or resume) the config's own from-scratch runs
            c = c.withName(c.name() + "_ft_" + tag(init));
        }
        return c.withInit(init);
    }

    private InitConfig initFrom(InitConfig base) {
        String ckpt = checkpoint != null ? checkpoint.toString() : base == null ? null : base.checkpoint();
        if (ckpt == null && (freezeRandom == null || freezeRandom.isEmpty()) && (base == null || base.freezeRandom().isEmpty())) {
            throw new UserError("finetune needs --checkpoint PATH (the config " + options.config
                    + " has no init.checkpoint), or --freeze-random for a random frozen component");
        }
        // an empty load (a config that only freezes a random component) falls back to the default, full
        List<String> l = load != null ? load : base == null || base.load().isEmpty() ? null : base.load();
        List<String> f = freeze != null ? freeze : base == null ? null : base.freeze();
        List<String> r = freezeRandom != null ? freezeRandom : base == null ? null : base.freezeRandom();
        String prefix = keyPrefix != null ? keyPrefix : base == null ? "" : base.keyPrefix();
        try {
            return new InitConfig(ckpt, l, f, r, prefix);
        } catch (ConfigException e) {
            throw new UserError("finetune: init." + e.path() + ": " + e.problem()
                    + " (init is built from --checkpoint, --load, --freeze, --freeze-random and the config's own init section)");
        }
    }

    /** The seed's run identifier, e.g. load_embed_frozen_embed; '+' joins several components. */
    static String tag(InitConfig init) {
        List<String> parts = new ArrayList<>();
        if (!init.load().isEmpty()) {
            parts.add("load_" + String.join("+", init.load()));
        }
        if (!init.freeze().isEmpty()) {
            parts.add("frozen_" + String.join("+", init.freeze()));
        }
        if (!init.freezeRandom().isEmpty()) {
            parts.add("random_" + String.join("+", init.freezeRandom()));
        }
        return String.join("_", parts);
    }

    @Override
    public Integer call() throws Exception {
        return TrainCommand.train(resolved(), options);
    }
}
