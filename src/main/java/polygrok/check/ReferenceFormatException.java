package polygrok.check;

import java.io.IOException;
import java.nio.file.Path;

/** A readable safetensors file that is not a polygrok reference file; the message names file and defect. */
public final class ReferenceFormatException extends IOException {
    public ReferenceFormatException(Path file, String defect) {
        super(file + ": " + defect);
    }
}
