package org.neuralgrid.model;

import java.util.Arrays;

/** A named float tensor in row-major order: the unit of parameters, gradients and weight files. */
public record Tensor(String name, int[] shape, float[] data) {

    public Tensor {
        long n = elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but " + data.length + " were given");
        }
    }

    public static Tensor zeros(String name, int... shape) {
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + n + " elements do not fit one array");
        }
        return new Tensor(name, shape.clone(), new float[(int) n]);
    }

    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    public int size() {
        return data.length;
    }

    public Tensor copy() {
        return new Tensor(name, shape.clone(), data.clone());
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
