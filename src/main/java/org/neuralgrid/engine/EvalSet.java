package org.neuralgrid.engine;

/** The held-out sets a backend evaluates: the validation images taken from the training set, and the test set. */
public enum EvalSet {
    VALIDATION, TEST
}
