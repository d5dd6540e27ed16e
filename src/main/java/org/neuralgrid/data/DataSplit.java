package org.neuralgrid.data;

/** A training set and its test set. */
public record DataSplit(Dataset train, Dataset test) {
}
