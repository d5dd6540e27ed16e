package org.neuralgrid.engine.opencl;

import org.jocl.Sizeof;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.RunConfig;

/** A dataset on the device, uploaded once: its pixels and labels as bytes, and the identity order 0..count-1. */
final class DatasetBuffers implements AutoCloseable {
    final String name;
    final int count;
    final ClBuffer pixels;     // (count, 784) uchar
    final ClBuffer labels;     // (count) uchar
    final ClBuffer identity;   // (count) int: i

    DatasetBuffers(ClContext cl, Dataset ds) {
        if (ds.imageSize() != RunConfig.IMAGE_SIZE) {
            throw new IllegalArgumentException(ds.name() + ": images of " + ds.rows() + "x" + ds.cols()
                    + ", expected 28x28");
        }
        this.name = ds.name();
        this.count = ds.count();
        ClBuffer px = null, lb = null, id = null;
        try {
            px = cl.buffer(name + " pixels", ds.pixels().length);
            lb = cl.buffer(name + " labels", ds.labels().length);
            id = cl.buffer(name + " order", (long) count * Sizeof.cl_int);
            px.write(ds.pixels());
            lb.write(ds.labels());
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            id.write(order);
        } catch (RuntimeException e) {
            Releaser.closeAll(id, lb, px);
            throw e;
        }
        pixels = px;
        labels = lb;
        identity = id;
    }

    @Override
    public void close() {
        Releaser.closeAll(identity, labels, pixels);
    }
}
