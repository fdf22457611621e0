package polygrok.config;

import java.util.List;

/**
 * A config's fields, changed one at a time and turned back into a config by {@link #build}, which
 * goes through {@link ExperimentConfig}'s constructor: a copy is checked exactly as a config read from a file.
 */
public final class ExperimentConfigBuilder {
    private String name;
    private int p;
    private List<String> ops;
    private String format;
    private double trainFraction;
    private String operandRange;
    private String operandDomain;
    private boolean symmetric;
    private int nMask;
    private boolean taskTokens;
    private ModelConfig model;
    private OptimizerConfig optimizer;
    private Integer batchSize;
    private int epochs;
    private LpConfig lp;
    private Double stopTestLoss;
    private Double stopTestAcc;
    private int evalEvery;
    private int checkpointEvery;
    private double checkpointMinutes;
    private int fourierEvery;
    private List<Long> seeds;
    private String backend;
    private InitConfig init;
    private LossConfig loss;

    ExperimentConfigBuilder(ExperimentConfig c) {
        name = c.name();
        p = c.p();
        ops = c.ops();
        format = c.format();
        trainFraction = c.trainFraction();
        operandRange = c.operandRange();
        operandDomain = c.operandDomain();
        symmetric = c.symmetric();
        nMask = c.nMask();
        taskTokens = c.taskTokens();
        model = c.model();
        optimizer = c.optimizer();
        batchSize = c.batchSize();
        epochs = c.epochs();
        lp = c.lp();
        stopTestLoss = c.stopTestLoss();
        stopTestAcc = c.stopTestAcc();
        evalEvery = c.evalEvery();
        checkpointEvery = c.checkpointEvery();
        checkpointMinutes = c.checkpointMinutes();
        fourierEvery = c.fourierEvery();
        seeds = c.seeds();
        backend = c.backend();
        init = c.init();
        loss = c.loss();
    }

    public ExperimentConfigBuilder name(String v) {
        name = v;
        return this;
    }

    public ExperimentConfigBuilder p(int v) {
        p = v;
        return this;
    }

    public ExperimentConfigBuilder ops(List<String> v) {
        ops = v;
        return this;
    }

    public ExperimentConfigBuilder format(String v) {
        format = v;
        return this;
    }

    public ExperimentConfigBuilder trainFraction(double v) {
        trainFraction = v;
        return this;
    }

    public ExperimentConfigBuilder operandRange(String v) {
        operandRange = v;
        return this;
    }

    public ExperimentConfigBuilder operandDomain(String v) {
        operandDomain = v;
        return this;
    }

    public ExperimentConfigBuilder symmetric(boolean v) {
        symmetric = v;
        return this;
    }

    public ExperimentConfigBuilder nMask(int v) {
        nMask = v;
        return this;
    }

    public ExperimentConfigBuilder taskTokens(boolean v) {
        taskTokens = v;
        return this;
    }

    public ExperimentConfigBuilder model(ModelConfig v) {
        model = v;
        return this;
    }

    public ExperimentConfigBuilder optimizer(OptimizerConfig v) {
        optimizer = v;
        return this;
    }

    public ExperimentConfigBuilder batchSize(Integer v) {
        batchSize = v;
        return this;
    }

    public ExperimentConfigBuilder epochs(int v) {
        epochs = v;
        return this;
    }

    public ExperimentConfigBuilder lp(LpConfig v) {
        lp = v;
        return this;
    }

    public ExperimentConfigBuilder stopTestLoss(Double v) {
        stopTestLoss = v;
        return this;
    }

    public ExperimentConfigBuilder stopTestAcc(Double v) {
        stopTestAcc = v;
        return this;
    }

    public ExperimentConfigBuilder evalEvery(int v) {
        evalEvery = v;
        return this;
    }

    public ExperimentConfigBuilder checkpointEvery(int v) {
        checkpointEvery = v;
        return this;
    }

    public ExperimentConfigBuilder checkpointMinutes(double v) {
        checkpointMinutes = v;
        return this;
    }

    public ExperimentConfigBuilder fourierEvery(int v) {
        fourierEvery = v;
        return this;
    }

    public ExperimentConfigBuilder seeds(List<Long> v) {
        seeds = v;
        return this;
    }

    public ExperimentConfigBuilder backend(String v) {
        backend = v;
        return this;
    }

    public ExperimentConfigBuilder init(InitConfig v) {
        init = v;
        return this;
    }

    public ExperimentConfigBuilder loss(LossConfig v) {
        loss = v;
        return this;
    }

    /** The config these values make; throws {@link ConfigException} as the constructor does. */
    public ExperimentConfig build() {
        return new ExperimentConfig(name, p, ops, format, trainFraction, operandRange, operandDomain, symmetric, nMask, taskTokens, model,
                optimizer, batchSize, epochs, lp, stopTestLoss, stopTestAcc, evalEvery, checkpointEvery, checkpointMinutes, fourierEvery, seeds,
                backend, init, loss);
    }
}
