package org.neuralgrid.engine.opencl;

/**
 * Overrides of the device-driven choices in {@link GridGeometry}, so that tests on one device can run the
 * kernel variants another device would get.
 *
 * @param globalScratch the grid kernels keep their columns in global memory (as for columns too tall for local)
 * @param gemmResults   results per GEMM work-item per dimension (1, 2 or 4); 0: chosen for the device
 * @param targetCells   cells a grid work-group aims at; 0: chosen for the device
 */
record Tuning(boolean globalScratch, int gemmResults, int targetCells) {
    static final Tuning AUTO = new Tuning(false, 0, 0);
}
