package polygrok.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Why a file operation failed, in words a user can act on. The JDK's exceptions often carry only a
 * path as their message (a FileAlreadyExistsException says "runs/x/plots"), which names no reason.
 */
public final class IoReasons {
    private IoReasons() {
    }

    /** The reason {@code e} stands for; {@code dir} is the directory being written, for the messages that need it. */
    public static String describe(IOException e, Path dir) {
        String message = e.getMessage() == null ? "an input/output error" : e.getMessage();
        if (e instanceof AccessDeniedException) {
            return "permission denied (directory " + dir + " is not writable)";
        }
        if (e instanceof AtomicMoveNotSupportedException) {
            return "the file system of " + dir + " cannot rename atomically";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is in the way (a file where a directory should be, or the reverse); move it aside";
        }
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return "directory " + dir + " cannot be created or used (" + message + ")";
        }
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return "disk full (" + message + ")";
        }
        if (message.contains("Read-only file system")) {
            return "the file system is read-only (" + message + ")";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + " (" + fse.getFile() + ")";
        }
        return message;
    }
}
