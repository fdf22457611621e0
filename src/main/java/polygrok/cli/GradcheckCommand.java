package polygrok.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.check.CheckReport;
import polygrok.check.ModelGradientChecks;
import polygrok.check.OpGradientChecks;
import polygrok.check.ReferenceCheck;
import polygrok.check.ReferenceFile;

/** `polygrok gradcheck`: reference files from PyTorch, or finite differences on tiny random models. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = {"Check gradients.",
                "With --reference: run a PyTorch reference file (forward, backward, 3 AdamW steps) and compare every tensor.",
                "Without: central finite differences of every op and of tiny whole models on the float64 cpuref backend."})
final class GradcheckCommand implements Callable<Integer> {
    @Option(names = "--reference", paramLabel = "FILE", description = "reference .safetensors file(s) (format polygrok-reference-1)")
    List<Path> references;

    @Option(names = "--backend", defaultValue = "cpuref", description = "backend for reference files: ${COMPLETION-CANDIDATES}",
            completionCandidates = BackendNames.class)
    String backend;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the random finite-difference cases")
    long seed;

    @Override
    public Integer call() throws Exception {
        CheckReport all = new CheckReport();
        if (references == null || references.isEmpty()) {
            System.out.println("finite differences on cpuref (float64), every op and tiny whole models");
            all.addAll(new OpGradientChecks(seed).run());
            all.addAll(ModelGradientChecks.run(seed));
        } else {
            try (Backend be = Backends.create(backend, System.err::println)) {
                for (Path file : references) {
                    ReferenceFile ref = ReferenceFile.load(file);
                    System.out.println("# " + file.getFileName() + " on " + be.name() + ": " + ref.description());
                    CheckReport r = ReferenceCheck.run(ref, be);
                    r.rows().forEach(row -> all.add(new polygrok.check.CheckRow(file.getFileName() + " " + row.name(),
                            row.maxAbsError(), row.relError(), row.tolerance())));
                }
            }
        }
        all.print(System.out);
        return all.failed() == 0 ? 0 : 1;
    }
}
