package org.neuralgrid.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.NodeReport;
import org.neuralgrid.engine.ParameterSnapshots.Snapshot;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.Tensor;

/**
 * A run's live parameters on their way from the worker node that trains it to the dashboard, which probes them
 * ({@link NodeBus#parameters}): a {@link NodeReport} whose header names the epoch, the batch and each tensor's
 * name and shape, and whose bytes are the tensors' float32 values, little-endian, in that order.
 */
final class LiveParameters {
    private LiveParameters() {
    }

    static Buffer encode(String run, String attempt, Snapshot s) {
        JsonArray tensors = new JsonArray();
        long values = 0;
        for (Tensor t : s.parameters().tensors()) {
            tensors.add(new JsonObject().put("name", t.name()).put("shape", new JsonArray(toList(t.shape()))));
            values += t.data().length;
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(values * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : s.parameters().tensors()) {
            bytes.asFloatBuffer().put(t.data());
            bytes.position(bytes.position() + t.data().length * Float.BYTES);
        }
        JsonObject header = new JsonObject().put("type", "parameters").put("run", run).put("attempt", attempt)
                .put("epoch", s.epoch()).put("batch", s.batch()).put("tensors", tensors);
        return new NodeReport(header, bytes.array()).encode();
    }

    /** @throws IllegalArgumentException for bytes that are not parameters of the run's layout */
    static Snapshot decode(Buffer buffer, Parameters layout) {
        NodeReport r = NodeReport.decode(buffer);
        ByteBuffer bytes = ByteBuffer.wrap(r.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        List<Tensor> tensors = new ArrayList<>();
        for (Object o : r.header().getJsonArray("tensors", new JsonArray())) {
            JsonObject t = (JsonObject) o;
            int[] shape = t.getJsonArray("shape").stream().mapToInt(v -> ((Number) v).intValue()).toArray();
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n * Float.BYTES > bytes.remaining()) {
                throw new IllegalArgumentException("the live parameters end inside tensor " + t.getString("name"));
            }
            float[] data = new float[(int) n];
            bytes.asFloatBuffer().get(data);
            bytes.position(bytes.position() + data.length * Float.BYTES);
            tensors.add(new Tensor(t.getString("name"), shape, data));
        }
        Parameters p = new Parameters(tensors);
        layout.requireSameLayout(p);
        return new Snapshot(r.header().getInteger("epoch"), r.header().getInteger("batch"), p);
    }

    private static List<Integer> toList(int[] shape) {
        List<Integer> list = new ArrayList<>();
        for (int d : shape) {
            list.add(d);
        }
        return list;
    }
}
