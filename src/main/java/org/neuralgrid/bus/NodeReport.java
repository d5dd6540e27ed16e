package org.neuralgrid.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One report of a worker node about a run ({@link NodeBus#REPORTS}): a JSON header and, for maps and files, the
 * bytes. On the bus: the header's length (4 bytes, big-endian), the header (UTF-8 JSON), the bytes.
 */
public record NodeReport(JsonObject header, byte[] bytes) {
    public NodeReport {
        bytes = bytes == null ? new byte[0] : bytes;
    }

    public String type() {
        return header.getString("type");
    }

    public String run() {
        return header.getString("run");
    }

    public String attempt() {
        return header.getString("attempt");
    }

    public Buffer encode() {
        Buffer head = header.toBuffer();
        return Buffer.buffer(4 + head.length() + bytes.length).appendInt(head.length()).appendBuffer(head)
                .appendBytes(bytes);
    }

    /** @throws IllegalArgumentException for a buffer that is not a report */
    public static NodeReport decode(Buffer buffer) {
        if (buffer == null || buffer.length() < 4) {
            throw new IllegalArgumentException("a report needs a header");
        }
        int length = buffer.getInt(0);
        if (length < 2 || length > buffer.length() - 4) {
            throw new IllegalArgumentException("a report's header length " + length + " does not fit its "
                    + buffer.length() + " bytes");
        }
        JsonObject header;
        try {
            header = new JsonObject(buffer.getBuffer(4, 4 + length));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a report's header is not a JSON object: " + e.getMessage(), e);
        }
        if (!(header.getValue("type") instanceof String) || !(header.getValue("attempt") instanceof String)
                || !(header.getValue("run") instanceof String run) || !RunId.isValid(run)) {
            throw new IllegalArgumentException("a report's header needs a type, a run id and an attempt: " + header);
        }
        return new NodeReport(header, buffer.getBytes(4 + length, buffer.length()));
    }
}
