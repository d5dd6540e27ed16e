package org.neuralgrid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.neuralgrid.model.Tensor;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files of F32 tensors:
 * an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then
 * the little-endian data. Files are written in the reference layout, so Python's {@code safetensors} reads them.
 */
public final class SafeTensors {
    // Large enough that syscall overhead vanishes, small enough to allocate per call.
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors}, stored in list order, and {@code metadata} (may be null or empty) to {@code file}.
     * The file is written under a temporary name in the same folder and renamed over {@code file}, so readers
     * never see half a file and a crash leaves the previous file intact.
     */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = SafeTensorsHeader.encode(tensors, metadata);
        Path tmp = temporarySibling(file);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(channel, SafeTensorsHeader.lengthPrefix(header.length));
                writeFully(channel, ByteBuffer.wrap(header));
                writeData(channel, tensors);
                // Without this a crash after the rename could leave the new name pointing at unwritten blocks.
                channel.force(true);
            }
            moveIntoPlace(tmp, file);
        } catch (Throwable failure) {
            deleteAfterFailure(tmp, failure);
            throw failure;
        }
    }

    /** Reads every tensor and the metadata; tensors come in the order of their data in the file. */
    public static SafeTensorsFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader header = SafeTensorsHeader.read(file, channel);
            ByteBuffer chunk = chunkBuffer(header.tensors().values().stream().mapToLong(TensorInfo::byteCount).sum());
            List<Tensor> tensors = new ArrayList<>();
            for (Map.Entry<String, TensorInfo> e : header.tensors().entrySet()) {
                long position = header.dataStart() + e.getValue().begin();
                tensors.add(readTensor(file, channel, e.getKey(), e.getValue(), position, chunk));
            }
            return new SafeTensorsFile(header.metadata(), tensors);
        }
    }

    /** Reads and checks only the header: each tensor's entry, in the order of their data. */
    public static Map<String, TensorInfo> readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafeTensorsHeader.read(file, channel).tensors();
        }
    }

    private static Path temporarySibling(Path file) {
        Path absolute = file.toAbsolutePath();
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return absolute.resolveSibling("." + absolute.getFileName() + "." + suffix + ".tmp");
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteAfterFailure(Path tmp, Throwable failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static ByteBuffer chunkBuffer(long dataBytes) {
        int capacity = (int) Math.max(Float.BYTES, Math.min(CHUNK_BYTES, dataBytes));
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeData(FileChannel channel, List<Tensor> tensors) throws IOException {
        long dataBytes = tensors.stream().mapToLong(t -> (long) Float.BYTES * t.size()).sum();
        ByteBuffer chunk = chunkBuffer(dataBytes);
        FloatBuffer floats = chunk.asFloatBuffer();
        for (Tensor t : tensors) {
            float[] data = t.data();
            for (int from = 0; from < data.length; from += floats.capacity()) {
                int n = Math.min(floats.capacity(), data.length - from);
                floats.clear();
                floats.put(data, from, n);
                chunk.clear().limit(n * Float.BYTES);
                writeFully(channel, chunk);
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static Tensor readTensor(Path file, FileChannel channel, String name, TensorInfo info, long position,
            ByteBuffer chunk) throws IOException {
        float[] data = new float[(int) (info.byteCount() / Float.BYTES)];
        // A view covers only the remaining bytes, and the previous tensor left none remaining.
        FloatBuffer floats = chunk.clear().asFloatBuffer();
        for (int from = 0; from < data.length; from += floats.capacity()) {
            int n = Math.min(floats.capacity(), data.length - from);
            chunk.clear().limit(n * Float.BYTES);
            SafeTensorsHeader.readFully(file, channel, chunk, position + (long) from * Float.BYTES);
            floats.clear();
            floats.get(data, from, n);
        }
        return new Tensor(name, info.shape(), data);
    }
}
