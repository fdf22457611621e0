package polygrok.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a well-formed safetensors file; the message names the file and the defect. */
public final class SafetensorsFormatException extends IOException {
    public SafetensorsFormatException(Path file, String defect) {
        super(file + ": " + defect);
    }

    public SafetensorsFormatException(Path file, String defect, Throwable cause) {
        super(file + ": " + defect, cause);
    }
}
