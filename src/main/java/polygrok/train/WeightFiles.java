package polygrok.train;

import java.io.IOException;
import java.nio.file.Path;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;
import polygrok.io.torch.TorchCheckpoint;

/**
 * Reads weights from either format a researcher has: safetensors (polygrok's checkpoints, reference
 * files) or a PyTorch .pth (the original code's checkpoints), told apart by their first bytes. A
 * .pth comes back with polygrok's names: its state dict, AdamW's moments as opt.m/opt.v, and its
 * epoch and step as metadata.
 */
public final class WeightFiles {
    private WeightFiles() {
    }

    public static SafetensorsFile read(Path file) throws IOException {
        return TorchCheckpoint.looksLikePth(file) ? TorchCheckpoint.read(file).toSafetensors() : Safetensors.read(file);
    }
}
