package org.neuralgrid.model;

import java.util.Locale;

/**
 * The activation h applied to every grid cell. The double-precision forms here are the definition; the
 * backends' float kernels are checked against them.
 */
public enum Activation implements Choice {
    SIN, TANH, RELU, GELU, IDENTITY;

    /** sqrt(2/pi), for the tanh form of GELU (PyTorch's GELU(approximate="tanh")). */
    static final double GELU_C = 0.7978845608028654;
    static final double GELU_A = 0.044715;

    public double apply(double z) {
        return switch (this) {
            case SIN -> Math.sin(z);
            case TANH -> Math.tanh(z);
            case RELU -> z > 0 ? z : 0;
            case GELU -> 0.5 * z * (1 + Math.tanh(GELU_C * (z + GELU_A * z * z * z)));
            case IDENTITY -> z;
        };
    }

    public double derivative(double z) {
        return switch (this) {
            case SIN -> Math.cos(z);
            case TANH -> {
                double t = Math.tanh(z);
                yield 1 - t * t;
            }
            case RELU -> z > 0 ? 1 : 0;
            case GELU -> {
                double u = GELU_C * (z + GELU_A * z * z * z);
                double t = Math.tanh(u);
                double du = GELU_C * (1 + 3 * GELU_A * z * z);
                yield 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du;
            }
            case IDENTITY -> 1;
        };
    }

    @Override
    public Text text() {
        return new Text(name().toLowerCase(Locale.ROOT), "", "");
    }
}
