package org.neuralgrid.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.neuralgrid.bus.NodeBus;

/**
 * Copies a file from the dashboard node to this worker in parts ({@link NodeBus#RUN_FILE},
 * {@link NodeBus#DATASET_FILE}): each reply holds up to {@link NodeBus#CHUNK_BYTES} bytes and says the file's
 * name ({@value #NAME}) and size ({@value #TOTAL}) in its headers. The parts go to a temporary file renamed into
 * place whole. Call on a worker context: the parts are written as they come.
 */
final class DashboardFiles {
    static final String NAME = "file";
    static final String TOTAL = "total";
    private static final long REPLY_MILLIS = 30_000;

    private final Vertx vertx;

    DashboardFiles(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Asks {@code address} for the file {@code request} names, part by part (the request gains "offset"), into
     * {@code dir}; completes with the file written (named as the dashboard's headers say).
     */
    Future<Path> copy(String address, JsonObject request, Path dir) {
        Path part;
        try {
            Files.createDirectories(dir);
            part = Files.createTempFile(dir, ".from-dashboard", ".part");
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return next(address, request, part, 0).compose(name -> {
            try {
                Path target = dir.resolve(Path.of(name).getFileName().toString());
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return Future.succeededFuture(target);
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
        }).onFailure(e -> deleteQuietly(part));
    }

    private Future<String> next(String address, JsonObject request, Path part, long offset) {
        return vertx.eventBus().<Buffer>request(address, request.copy().put("offset", offset),
                        new DeliveryOptions().setSendTimeout(REPLY_MILLIS))
                .compose(reply -> {
                    long total = Long.parseLong(header(reply, TOTAL));
                    Buffer bytes = reply.body();
                    append(part, bytes);
                    long done = offset + bytes.length();
                    if (done >= total || bytes.length() == 0) {
                        return done == total ? Future.succeededFuture(header(reply, NAME))
                                : Future.failedFuture(new IOException("the dashboard sent " + done + " of "
                                        + total + " bytes of " + header(reply, NAME)));
                    }
                    return next(address, request, part, done);
                });
    }

    private static String header(Message<Buffer> reply, String name) {
        String value = reply.headers().get(name);
        if (value == null) {
            throw new IllegalStateException("the dashboard's reply has no " + name + " header");
        }
        return value;
    }

    private static void append(Path file, Buffer bytes) {
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(bytes.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; the next copy makes another
        }
    }

    /** The reply to a part request: {@code length} bytes of {@code file} from {@code offset}, with the headers. */
    static void replyPart(Message<?> request, Path file, long offset) throws IOException {
        long total = Files.size(file);
        long from = Math.max(0, Math.min(offset, total));
        int length = (int) Math.min(NodeBus.CHUNK_BYTES, total - from);
        byte[] bytes = new byte[length];
        try (var channel = Files.newByteChannel(file)) {
            channel.position(from);
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until the part is full
            }
        }
        request.reply(Buffer.buffer(bytes), new DeliveryOptions().addHeader(NAME, file.getFileName().toString())
                .addHeader(TOTAL, Long.toString(total)));
    }
}
