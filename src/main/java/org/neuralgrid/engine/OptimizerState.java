package org.neuralgrid.engine;

import org.neuralgrid.model.Parameters;

/** Adam's state: the number of steps taken and the first and second moments of every parameter. */
public record OptimizerState(long step, Parameters firstMoment, Parameters secondMoment) {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    public static OptimizerState fresh(Parameters like) {
        return new OptimizerState(0, like.zerosLike(), like.zerosLike());
    }
}
