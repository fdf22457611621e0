package polygrok.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.io.Safetensors;
import polygrok.io.torch.TorchCheckpoint;
import polygrok.train.PthRunImport;

/** `polygrok convert`: a PyTorch .pth into safetensors, or a run directory of the original script into a polygrok run. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert the original code's PyTorch checkpoints: IN.pth OUT.safetensors, or a directory of them into a polygrok run directory.",
                "A .pth becomes its state dict's tensors with the same names, AdamW's moments as opt.m.NAME / opt.v.NAME and its epoch",
                "and step as metadata. A directory (init.pth, 0.pth, 2000.pth, ...) becomes config.json and checkpoints/ that analyze and",
                "report read; name the operation it trained with --op, since the files do not record it."})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "a .pth file, or a directory of the original training script's .pth files")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the .safetensors file, or the polygrok run directory, to write")
    Path out;

    @Option(names = "--op", paramLabel = "OP", description = "the operation the original run trained (for a directory), e.g. add")
    String op;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) {
            throw new UserError("convert " + in + " " + out + ": the output is the input; name another OUT, e.g. "
                    + (Files.isDirectory(in) ? in.toAbsolutePath().normalize() + "_polygrok" : "model.safetensors"));
        }
        if (Files.isDirectory(in)) {
            if (op == null) {
                throw new UserError("convert " + in + ": name the operation that run trained with --op (e.g. --op add);"
                        + " the .pth files do not record it");
            }
            if (!PthRunImport.isPthRun(in)) {
                throw new UserError("convert " + in + ": not a run directory of the original script (no init.pth or N.pth files,"
                        + " or it already holds a polygrok config.json)");
            }
            var config = PthRunImport.importRun(in, out, op);
            System.out.println("wrote the polygrok run " + out + " (p " + config.p() + ", d_model " + config.model().dModel()
                    + ", train fraction " + config.trainFraction() + ", operands " + config.operandRange() + ")");
            return 0;
        }
        var file = TorchCheckpoint.read(in).toSafetensors();
        Safetensors.write(out, file);
        System.out.println("wrote " + out + ": " + file.tensors().size() + " tensors" + (file.metadata().containsKey("epoch")
                ? ", epoch " + file.metadata().get("epoch") : ""));
        return 0;
    }
}
