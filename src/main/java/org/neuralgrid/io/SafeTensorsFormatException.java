package org.neuralgrid.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a well-formed F32 safetensors file; the message names the file and what is wrong. */
public class SafeTensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafeTensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
