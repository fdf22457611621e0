package polygrok.io.torch;

import java.io.IOException;
import java.nio.file.Path;

/** A .pth that polygrok refuses or cannot read: the message names the file and what is wrong. */
public final class TorchPickleException extends IOException {
    public TorchPickleException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public TorchPickleException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
