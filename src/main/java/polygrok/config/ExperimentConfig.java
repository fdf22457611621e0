package polygrok.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One experiment: the task(s), the data switches, the model, the optimizer and the schedule.
 * JSON keys are the snake_case of these names; absent fields take the paper's defaults
 * ({@link ConfigLoader} fills them).
 *
 * @param name            run name; run directories are named after it
 * @param p               modulus
 * @param ops             operation names or polynomial expressions; several make a mixture
 * @param format          "short" ([a, =, b] for polynomials), "long" (expression spelled out) or a token
 *                        template every operation is spelled with ("a * b =", Grokfast's [x, op, y, =])
 * @param trainFraction   fraction of the tuples that train, in (0, 1)
 * @param operandRange    "p" (operands 0..p-1) or "p+5" (the seed's range, symbols included)
 * @param operandDomain   "all", "b_nonzero" or "nonzero" for every operation; null = each operation's own
 * @param symmetric       only pairs with a <= b
 * @param nMask           extra mask tokens in the vocabulary
 * @param taskTokens      one extra token per operation appended to each input (mixtures)
 * @param model           the network
 * @param optimizer       AdamW settings
 * @param batchSize       examples per step; null = full batch (the paper)
 * @param epochs          epochs to train
 * @param lp              optional Lp penalty; null = off
 * @param stopTestLoss    stop when the test loss falls below this; null = never
 * @param stopTestAcc     stop a run at the first eval whose test accuracy reaches this (it has grokked); null = never
 * @param evalEvery       evaluate (and log metrics) every this many epochs
 * @param checkpointEvery write a checkpoint every this many epochs; 0 = only init and final
 * @param checkpointMinutes also keep a resume point no older than this many minutes of training (a crash
 *                        loses at most that much); 0 = off. It changes no result, so a resume may change it
 * @param fourierEvery    compute FFD/FCR every this many epochs; 0 = off
 * @param seeds           split-and-init seeds, one run each
 * @param backend         auto, cpu, cpuref or cuda
 * @param init            start from a checkpoint or freeze random components; null = fresh init
 * @param loss            the training loss and its arithmetic (top-level "loss" and "loss_precision")
 */
public record ExperimentConfig(String name, int p, List<String> ops, String format, double trainFraction,
                               String operandRange, String operandDomain, boolean symmetric, int nMask, boolean taskTokens,
                               ModelConfig model, OptimizerConfig optimizer, Integer batchSize, int epochs,
                               LpConfig lp, Double stopTestLoss, Double stopTestAcc, int evalEvery, int checkpointEvery,
                               double checkpointMinutes, int fourierEvery, List<Long> seeds, String backend, InitConfig init, LossConfig loss) {
    public static final List<String> BACKENDS = List.of("auto", "cpu", "cpuref", "cuda");
    public static final List<String> FORMATS = List.of("short", "long");
    public static final List<String> OPERAND_RANGES = List.of("p", "p+5");
    /** Operand domains a config may set; the data package's OperandDomain names the same three. */
    public static final List<String> OPERAND_DOMAINS = List.of("all", "b_nonzero", "nonzero");
    /** A crash (a killed job, a lost machine) costs at most this much training by default. */
    public static final double DEFAULT_CHECKPOINT_MINUTES = 5;

    public ExperimentConfig {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.+,=-]*")) {
            throw new ConfigException("name", Printable.quote(name) + " is not a usable run name; allowed: letters, digits and _ . + , = -"
                    + " (it names a directory)");
        }
        if (p < 2 || p > 46340) {
            throw new ConfigException("p", p + " is outside 2..46340");
        }
        if (ops == null || ops.isEmpty()) {
            throw new ConfigException("ops", "is empty; name at least one operation, e.g. [\"add\"]");
        }
        ops = List.copyOf(ops);
        OperationCheck check = OperationChecks.get();
        String formatProblem = FORMATS.contains(format) ? null : check.formatProblem(ops, format);
        if (formatProblem != null) {
            throw new ConfigException("format", formatProblem);
        }
        for (int i = 0; i < ops.size(); i++) {
            String problem = check.problem(ops.get(i), p, format);
            if (problem != null) {
                throw new ConfigException("ops[" + i + "]", problem);
            }
        }
        if (new HashSet<>(ops).size() != ops.size()) {
            throw new ConfigException("ops", ops + " names an operation twice");
        }
        String mixture = ops.size() > 1 ? check.mixtureProblem(ops, format) : null;
        if (mixture != null) {
            throw new ConfigException("ops", mixture);
        }
        if (!OPERAND_RANGES.contains(operandRange)) {
            throw new ConfigException("operand_range", "\"" + operandRange + "\" is not an operand range; allowed: p, p+5");
        }
        if (operandDomain != null) {
            String domainProblem = OPERAND_DOMAINS.contains(operandDomain) ? check.domainProblem(ops, operandDomain, "p".equals(operandRange))
                    : "\"" + operandDomain + "\" is not an operand domain; allowed: " + String.join(", ", OPERAND_DOMAINS)
                    + ", or leave it out for each operation's own";
            if (domainProblem != null) {
                throw new ConfigException("operand_domain", domainProblem);
            }
        }
        String duplicate = ops.size() > 1
                ? check.duplicateProblem(ops, p, "p+5".equals(operandRange) ? p + 5 : p, format, operandDomain) : null;
        if (duplicate != null) {
            throw new ConfigException("ops", duplicate);
        }
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new ConfigException("train_fraction", trainFraction + " is outside (0, 1); allowed: strictly between 0 and 1, e.g. 0.3");
        }
        if (nMask < 0) {
            throw new ConfigException("n_mask", nMask + " must be >= 0");
        }
        if (model == null) {
            throw new ConfigException("model", "is missing");
        }
        if (optimizer == null) {
            throw new ConfigException("optimizer", "is missing");
        }
        if (batchSize != null && batchSize < 1) {
            throw new ConfigException("batch_size", batchSize + " must be at least 1, or null for full batch");
        }
        if (epochs < 1) {
            throw new ConfigException("epochs", epochs + " must be at least 1");
        }
        if (stopTestLoss != null && (stopTestLoss.isNaN() || stopTestLoss.isInfinite())) {
            throw new ConfigException("stop_test_loss", stopTestLoss + " must be a finite number, or null for never");
        }
        if (stopTestLoss != null && stopTestLoss <= 0) {
            throw new ConfigException("stop_test_loss", stopTestLoss + " can never be reached (a cross-entropy is never below 0);"
                    + " give a positive loss, e.g. 0.01, or null for never");
        }
        if (stopTestAcc != null && !(stopTestAcc > 0 && stopTestAcc <= 1)) {
            throw new ConfigException("stop_test_acc", stopTestAcc + " is not an accuracy to stop at; allowed: a fraction in (0, 1],"
                    + " e.g. 0.99, or null for never");
        }
        if (evalEvery < 1) {
            throw new ConfigException("eval_every", evalEvery + " must be at least 1");
        }
        if (checkpointEvery < 0) {
            throw new ConfigException("checkpoint_every", checkpointEvery + " must be >= 0 (0 = only init and final)");
        }
        if (!(checkpointMinutes >= 0) || Double.isInfinite(checkpointMinutes)) {
            throw new ConfigException("checkpoint_minutes", checkpointMinutes + " is not a number of minutes; allowed: >= 0, e.g. 5"
                    + " (0 = no resume points between checkpoints)");
        }
        if (fourierEvery < 0) {
            throw new ConfigException("fourier_every", fourierEvery + " must be >= 0 (0 = off)");
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new ConfigException("seeds", "is empty; give at least one seed, e.g. [0]");
        }
        seeds = List.copyOf(seeds);
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < seeds.size(); i++) {
            if (seeds.get(i) < 0) {
                throw new ConfigException("seeds[" + i + "]", seeds.get(i) + " must be >= 0");
            }
            if (!distinct.add(seeds.get(i))) {
                throw new ConfigException("seeds[" + i + "]", seeds.get(i) + " appears twice");
            }
        }
        if (loss == null) {
            throw new ConfigException("loss", "is missing");
        }
        if (!BACKENDS.contains(backend)) {
            throw new ConfigException("backend", "\"" + backend + "\" is not a backend; allowed: " + String.join(", ", BACKENDS));
        }
    }

    /** A config with every default and these ops, named after them. */
    public static ExperimentConfig defaults(String name, List<String> ops) {
        return new ExperimentConfig(name, 97, ops, "short", 0.3, "p", null, false, 0, false, ModelConfig.defaults(),
                OptimizerConfig.defaults(), null, 10000, null, null, null, 10, 2000, DEFAULT_CHECKPOINT_MINUTES, 0, List.of(0L), "auto", null, LossConfig.DEFAULT);
    }

    /** Vocabulary size of the input: p numbers, 5 symbols, the mask tokens and any task tokens. */
    public int vocabSize() {
        return p + 5 + nMask + (taskTokens ? ops.size() : 0);
    }

    /** A builder holding this config's values; {@link ExperimentConfigBuilder#build} validates the copy like any new config. */
    public ExperimentConfigBuilder toBuilder() {
        return new ExperimentConfigBuilder(this);
    }

    // one-field copies for the callers that change a single field

    public ExperimentConfig withSeeds(List<Long> newSeeds) {
        return toBuilder().seeds(newSeeds).build();
    }

    public ExperimentConfig withEpochs(int newEpochs) {
        return toBuilder().epochs(newEpochs).build();
    }

    public ExperimentConfig withTrainFraction(double fraction) {
        return toBuilder().trainFraction(fraction).build();
    }

    public ExperimentConfig withBackend(String newBackend) {
        return toBuilder().backend(newBackend).build();
    }

    public ExperimentConfig withName(String newName) {
        return toBuilder().name(newName).build();
    }

    public ExperimentConfig withOps(List<String> newOps) {
        return toBuilder().ops(newOps).build();
    }

    public ExperimentConfig withOptimizer(OptimizerConfig newOptimizer) {
        return toBuilder().optimizer(newOptimizer).build();
    }

    public ExperimentConfig withInit(InitConfig newInit) {
        return toBuilder().init(newInit).build();
    }

    public ExperimentConfig withLoss(LossConfig newLoss) {
        return toBuilder().loss(newLoss).build();
    }

    public ExperimentConfig withStopTestAcc(Double newStopTestAcc) {
        return toBuilder().stopTestAcc(newStopTestAcc).build();
    }
}
