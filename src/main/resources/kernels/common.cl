/*
 * NeuralGrid OpenCL kernels: shared definitions.
 *
 * The host (GridGeometry.buildOptions) defines, for one model on one device:
 *   CELLS            cells of one grid layer: H for a 2D grid (a layer is a column of H cells), 784 for a 3D grid
 *   SR, SC           a layer as a sheet of SR rows by SC columns (1 x H in 2D, 28 x 28 in 3D)
 *   RR, RC           the window radius across rows and across columns (0 and (k-1)/2 in 2D, (k-1)/2 both in 3D)
 *   W                grid layers (the grid width in 2D, the sheet count in 3D)
 *   S                samples per work-group in the grid kernels (whole layers: S*CELLS cells)
 *   WG               work-group size of the grid kernels
 *   CPT              cells per work-item in the grid kernels: ceil(S*CELLS / WG)
 *   ACT_SIN | ACT_TANH | ACT_RELU | ACT_GELU | ACT_IDENTITY
 *   OFF_GW, OFF_GB, OFF_WOUT, OFF_BOUT, and in 2D OFF_WIN, OFF_BIN
 *                    where each tensor starts in the flat parameter (and gradient) buffer
 *   GRID_3D          a 3D grid: the image is the first sheet (no input dense layer); maps are (10, W, CELLS)
 *   OUT_WG           work-group size of output_loss (a power of two)
 *   MET_WG           work-group size of batch_metrics (a power of two)
 *   GT, GR_IN, GR_GRAD
 *                    GEMM tiles: GT x GT work-items, each GR x GR results (tile GT*GR square), GR_IN for
 *                    input_forward and GR_GRAD for input_grads
 *   GLOBAL_SCRATCH   (optional) the grid kernels keep their scratch sheets in global memory, not local
 *   CPU_DEVICE       (optional) the device is a CPU: keep hot loops free of calls so they vectorise
 *
 * Layouts (row-major, the last index fastest; a cell p of a sheet is row p / SC, column p % SC):
 *   pixels (count, 784) uchar; labels (count) uchar; index lists int
 *   a0, aOut, ga      (n, CELLS)     one layer of cells per sample
 *   z                 (W, n, CELLS)  pre-activations of every grid layer
 *   partW, partB      (slots, W, CELLS) per-work-group partial gradients of the grid
 *   gl                (n, 10)        dLoss/dlogits
 *   maps              2D (10, CELLS, W); 3D (10, W, CELLS)
 */
#define IMG 784
#define CLS 10
#define SH (S * CELLS)

/*
 * sin and cos of x together: Cody-Waite reduction by pi/2 and the minimax polynomials of Cephes' sinf/cosf, the
 * algorithm of the Java backend's VectorMath, step for step. Within 2e-7 of the exact values for |x| <= 8192; a
 * few FMAs on any device, where a CPU OpenCL's sin() is a long call. Beyond 8192 (only seen when a run diverges)
 * a GPU takes its built-ins; on a CPU device (CPU_DEVICE) a call would keep the compiler from vectorising the
 * whole loop, so the reduction carries on, a little less exact (about 2e-6 at 1e5); NaN and infinity give NaN.
 */
inline float2 sin_cos(float x) {
#ifndef CPU_DEVICE
    if (fabs(x) > 8192.0f) {
        return (float2)(sin(x), cos(x));
    }
#endif
    /* adding 1.5 * 2^23 rounds to the nearest integer n and leaves it in the low mantissa bits */
    const float t = fma(x, 0.636619772367581343f, 12582912.0f);
    const int q = as_int(t);
    const float n = t - 12582912.0f;
    float r = fma(n, -1.5703125f, x);
    r = fma(n, -4.837512969970703125e-4f, r);
    r = fma(n, -7.54978995489188216e-8f, r);
    const float z = r * r;
    const float s = fma(fma(fma(z, -1.9515295891e-4f, 8.3321608736e-3f), z, -1.6666654611e-1f) * z, r, r);
    const float c = fma(fma(fma(z, 2.443315711809948e-5f, -1.388731625493765e-3f), z, 4.166664568298827e-2f),
                        z * z, fma(z, -0.5f, 1.0f));
    float sn = (q & 1) ? c : s;
    float cs = (q & 1) ? s : c;
    sn = (q & 2) ? -sn : sn;
    cs = ((q + 1) & 2) ? -cs : cs;
    return (float2)(sn, cs);
}

/* act(z) = h(z); act_both(z, &d) = h(z) and writes h'(z) to d, sharing the work. */
#if defined(ACT_SIN)
inline float act(float z) { return sin_cos(z).x; }
inline float act_both(float z, float* d) { float2 sc = sin_cos(z); *d = sc.y; return sc.x; }
#elif defined(ACT_TANH)
inline float act(float z) { return tanh(z); }
inline float act_both(float z, float* d) { float t = tanh(z); *d = fma(t, -t, 1.0f); return t; }
#elif defined(ACT_RELU)
inline float act(float z) { return z > 0.0f ? z : 0.0f; }
inline float act_both(float z, float* d) { *d = z > 0.0f ? 1.0f : 0.0f; return z > 0.0f ? z : 0.0f; }
#elif defined(ACT_GELU)
/*
 * The tanh form 0.5 z (1 + tanh(u)), u = c (z + 0.044715 z^3), written as z * sigmoid(2u): the same function,
 * but it keeps its tiny values for large negative z where 1 + tanh(u) cancels to nothing in float.
 */
#define GELU_C 0.7978845608028654f
#define GELU_K 0.044715f
inline float gelu_sigmoid(float z) {
    float u2 = fma(z * z, GELU_K, 1.0f) * z * (-2.0f * GELU_C);   /* -2u */
    return 1.0f / (exp(clamp(u2, -80.0f, 80.0f)) + 1.0f);
}
inline float act(float z) { return z * gelu_sigmoid(z); }
inline float act_both(float z, float* d) {
    float s = gelu_sigmoid(z);
    float du2 = fma(z * z, 6.0f * GELU_K * GELU_C, 2.0f * GELU_C);   /* 2 du/dz */
    *d = fma(z * s * (1.0f - s), du2, s);
    return z * s;
}
#elif defined(ACT_IDENTITY)
inline float act(float z) { return z; }
inline float act_both(float z, float* d) { *d = 1.0f; return z; }
#else
#error "define one of ACT_SIN, ACT_TANH, ACT_RELU, ACT_GELU, ACT_IDENTITY"
#endif
