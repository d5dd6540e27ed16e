package org.neuralgrid.engine;

import org.neuralgrid.io.MapKind;

/**
 * What a backend measures of its grid's activations in one pass over each class's map samples: per class and
 * cell, the mean and the (population) standard deviation. The other pictures are built from these and the
 * parameters by {@link GridPictures}.
 *
 * @param mean {@link MapKind#MEAN} maps
 * @param std  {@link MapKind#STD} maps of the same epoch and shape
 */
public record ClassMaps(ActivationMaps mean, ActivationMaps std) {
    public ClassMaps {
        if (mean.kind() != MapKind.MEAN || std.kind() != MapKind.STD) {
            throw new IllegalArgumentException("class maps are mean and std maps, not " + mean.kind().id() + " and "
                    + std.kind().id());
        }
        if (!mean.sameEpochAndShape(std)) {
            throw new IllegalArgumentException("the std maps differ in epoch or shape from the mean maps");
        }
    }
}
