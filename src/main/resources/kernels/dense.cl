/*
 * The dense layers and the loss: W_in (CELLS, 784) in (2D grids only: a 3D grid's first sheet is the image
 * itself, see sheet_input), W_out (10, CELLS) out, softmax cross-entropy.
 *
 * Images stay on the device as bytes; a sample's pixel is lut[pixels[sample*784 + m]], the lookup table
 * holding Dataset.normalize of every byte value as computed in Java, so both backends see the same floats.
 * Which samples a launch sees: idx[offset .. offset+n).
 */
#ifdef GRID_3D

/* a0 (n, 784) = the images of samples idx[offset .. offset+n) as floats: a 3D grid's first sheet. */
__kernel void sheet_input(__global const uchar* restrict pixels,
                          __global const int* restrict idx,
                          __constant float* lut,
                          const int offset,
                          const int n,
                          __global float* restrict a0)
{
    const int t = get_global_id(0);
    if (t >= n * IMG) {
        return;
    }
    const int j = t / IMG;
    a0[t] = lut[pixels[(size_t)idx[offset + j] * IMG + (t - j * IMG)]];
}

#else

/* GEMM tiles: GT x GT work-items, each GR x GR results; GR is GR_IN for input_forward, GR_GRAD for input_grads */
#define GTILE (GT * GR)   /* a GEMM tile: GTILE x GTILE results */
#define GK 16             /* the shared dimension is walked GK at a time */
#define LOADS (GTILE * GK / (GT * GT))

#define GR GR_IN

/*
 * a0 (n, CELLS) = x (n, 784) W_in^T + b_in, x gathered from the bytes. Tiled: a work-group computes a GTILE x GTILE
 * tile of a0 from GK-wide slices of x and W_in staged in local memory; work-item (tx, ty) computes rows
 * ty + GT*u and columns tx + GT*v, so neighbouring work-items store neighbouring cells.
 */
__kernel __attribute__((reqd_work_group_size(GT, GT, 1)))
void input_forward(__global const float* restrict params,
                   __global const uchar* restrict pixels,
                   __global const int* restrict idx,
                   __constant float* lut,
                   const int offset,
                   const int n,
                   __global float* restrict a0)
{
    __local float xs[GK][GTILE + 1];   /* xs[k][row]: x of the tile's samples */
    __local float ws[GK][GTILE + 1];   /* ws[k][col]: W_in of the tile's cells */
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * GT + tx;
    const int col0 = get_group_id(0) * GTILE;   /* cells p */
    const int row0 = get_group_id(1) * GTILE;   /* samples j */
    __global const float* win = params + OFF_WIN;
    __global const float* bin = params + OFF_BIN;

    /* the rows this work-item loads: sample byte offsets and weight row offsets, fixed over k */
    size_t xBase[LOADS];
    size_t wBase[LOADS];
    int kk[LOADS], rr[LOADS];
    for (int t = 0; t < LOADS; t++) {
        const int e = tid + t * GT * GT;
        kk[t] = e % GK;
        rr[t] = e / GK;
        const int j = row0 + rr[t];
        const int p = col0 + rr[t];
        xBase[t] = j < n ? (size_t)idx[offset + j] * IMG : (size_t)-1;
        wBase[t] = p < CELLS ? (size_t)p * IMG : (size_t)-1;
    }
    float acc[GR][GR];
    for (int v = 0; v < GR; v++) {
        const int p = col0 + tx + v * GT;
        const float b = p < CELLS ? bin[p] : 0.0f;
        for (int u = 0; u < GR; u++) {
            acc[u][v] = b;
        }
    }
    for (int k0 = 0; k0 < IMG; k0 += GK) {
        for (int t = 0; t < LOADS; t++) {
            xs[kk[t]][rr[t]] = xBase[t] != (size_t)-1 ? lut[pixels[xBase[t] + k0 + kk[t]]] : 0.0f;
            ws[kk[t]][rr[t]] = wBase[t] != (size_t)-1 ? win[wBase[t] + k0 + kk[t]] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < GK; k++) {
            float xv[GR], wv[GR];
            for (int u = 0; u < GR; u++) {
                xv[u] = xs[k][ty + u * GT];
                wv[u] = ws[k][tx + u * GT];
            }
            for (int u = 0; u < GR; u++) {
                for (int v = 0; v < GR; v++) {
                    acc[u][v] = fma(xv[u], wv[v], acc[u][v]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int u = 0; u < GR; u++) {
        const int j = row0 + ty + u * GT;
        for (int v = 0; v < GR; v++) {
            const int p = col0 + tx + v * GT;
            if (j < n && p < CELLS) {
                a0[(size_t)j * CELLS + p] = acc[u][v];
            }
        }
    }
}

#undef GR
#define GR GR_GRAD

/*
 * dW_in (CELLS, 784) = ga^T (CELLS, n) x (n, 784) and db_in (CELLS) = ga^T 1: one product with x widened by a
 * column of ones (column 784). Each result is one work-item's sum over the samples in sample order: deterministic.
 */
__kernel __attribute__((reqd_work_group_size(GT, GT, 1)))
void input_grads(__global const float* restrict ga,       /* (n, CELLS) dL/da_0 */
                 __global const uchar* restrict pixels,
                 __global const int* restrict idx,
                 __constant float* lut,
                 const int offset,
                 const int n,
                 __global float* restrict grad)
{
    __local float gs[GK][GTILE + 1];   /* gs[k][row]: ga of sample k0+k, cell row0+row */
    __local float xs[GK][GTILE + 1];   /* xs[k][col]: pixel col0+col of sample k0+k */
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * GT + tx;
    const int col0 = get_group_id(0) * GTILE;   /* pixels m (784: the bias column) */
    const int row0 = get_group_id(1) * GTILE;   /* cells p */
    float acc[GR][GR];
    for (int u = 0; u < GR; u++) {
        for (int v = 0; v < GR; v++) {
            acc[u][v] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < n; k0 += GK) {
        for (int t = 0; t < LOADS; t++) {
            const int e = tid + t * GT * GT;
            const int r = e % GTILE;   /* consecutive work-items: consecutive addresses */
            const int k = e / GTILE;
            const int j = k0 + k;
            const int p = row0 + r;
            const int m = col0 + r;
            gs[k][r] = j < n && p < CELLS ? ga[(size_t)j * CELLS + p] : 0.0f;
            float x = 0.0f;
            if (j < n) {
                x = m < IMG ? lut[pixels[(size_t)idx[offset + j] * IMG + m]] : (m == IMG ? 1.0f : 0.0f);
            }
            xs[k][r] = x;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < GK; k++) {
            float gv[GR], xv[GR];
            for (int u = 0; u < GR; u++) {
                gv[u] = gs[k][ty + u * GT];
                xv[u] = xs[k][tx + u * GT];
            }
            for (int u = 0; u < GR; u++) {
                for (int v = 0; v < GR; v++) {
                    acc[u][v] = fma(gv[u], xv[v], acc[u][v]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int u = 0; u < GR; u++) {
        const int p = row0 + ty + u * GT;
        for (int v = 0; v < GR; v++) {
            const int m = col0 + tx + v * GT;
            if (p < CELLS) {
                if (m < IMG) {
                    grad[OFF_WIN + (size_t)p * IMG + m] = acc[u][v];
                } else if (m == IMG) {
                    grad[OFF_BIN + p] = acc[u][v];
                }
            }
        }
    }
}

#undef GR

#endif /* GRID_3D */

/*
 * One work-group per sample: logits = W_out a_W + b_out, the cross-entropy loss against the target
 * (1 - eps) onehot + eps / 10 (eps = smoothing; 0 for plain cross-entropy) and whether the arg-max is the label;
 * with scale > 0 also gl = (softmax - target) * scale and ga = W_out^T gl (dL/da_W) for the backward pass.
 * The dot products are summed over the work-items in a fixed tree: deterministic.
 */
__kernel __attribute__((reqd_work_group_size(OUT_WG, 1, 1)))
void output_loss(__global const float* restrict params,
                 __global const float* restrict aOut,    /* (n, CELLS) */
                 __global const uchar* restrict labels,
                 __global const int* restrict idx,
                 const int offset,
                 const float scale,
                 const float smoothing,
                 __global float* restrict loss,          /* (n) */
                 __global int* restrict correct,         /* (n) */
                 __global float* restrict gl,            /* (n, 10) */
                 __global float* restrict ga)            /* (n, CELLS) */
{
    __local float red[CLS * OUT_WG];
    __local float g[CLS];
    const int j = get_group_id(0);
    const int lid = get_local_id(0);
    __global const float* wout = params + OFF_WOUT;
    __global const float* bout = params + OFF_BOUT;
    __global const float* a = aOut + (size_t)j * CELLS;

    float acc[CLS];
    for (int c = 0; c < CLS; c++) {
        acc[c] = 0.0f;
    }
    for (int p = lid; p < CELLS; p += OUT_WG) {
        const float v = a[p];
        for (int c = 0; c < CLS; c++) {
            acc[c] = fma(wout[c * CELLS + p], v, acc[c]);
        }
    }
    for (int c = 0; c < CLS; c++) {
        red[c * OUT_WG + lid] = acc[c];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = OUT_WG / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            for (int c = 0; c < CLS; c++) {
                red[c * OUT_WG + lid] += red[c * OUT_WG + lid + stride];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        float logit[CLS];
        int best = 0;
        for (int c = 0; c < CLS; c++) {
            logit[c] = bout[c] + red[c * OUT_WG];
            if (logit[c] > logit[best]) {
                best = c;
            }
        }
        const float max = logit[best];
        float sum = 0.0f;
        float logitSum = 0.0f;
        for (int c = 0; c < CLS; c++) {
            sum += exp(logit[c] - max);
            logitSum += logit[c];
        }
        const int label = labels[idx[offset + j]];
        loss[j] = log(sum) + max - (1.0f - smoothing) * logit[label] - smoothing * logitSum / CLS;
        correct[j] = best == label ? 1 : 0;
        if (scale > 0.0f) {
            for (int c = 0; c < CLS; c++) {
                const float target = (c == label ? 1.0f - smoothing : 0.0f) + smoothing / CLS;
                const float gv = (exp(logit[c] - max) / sum - target) * scale;
                g[c] = gv;
                gl[j * CLS + c] = gv;
            }
        }
    }
    if (scale > 0.0f) {
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = lid; p < CELLS; p += OUT_WG) {
            float s = 0.0f;
            for (int c = 0; c < CLS; c++) {
                s = fma(g[c], wout[c * CELLS + p], s);
            }
            ga[(size_t)j * CELLS + p] = s;
        }
    }
}

/*
 * dW_out[c, p] = sum_j gl[j, c] a_W[j, p] and db_out[c] = sum_j gl[j, c], each summed by one work-item in
 * sample order. Work-items 0 .. 10H-1 make dW_out (consecutive ones read consecutive cells), the next 10 db_out.
 */
__kernel void output_grads(__global const float* restrict aOut,   /* (n, CELLS) */
                           __global const float* restrict gl,     /* (n, 10) */
                           __global float* restrict grad,
                           const int n)
{
    const int t = get_global_id(0);
    if (t < CLS * CELLS) {
        const int c = t / CELLS;
        const int p = t - c * CELLS;
        float s = 0.0f;
        for (int j = 0; j < n; j++) {
            s = fma(gl[j * CLS + c], aOut[(size_t)j * CELLS + p], s);
        }
        grad[OFF_WOUT + t] = s;
    } else if (t < CLS * CELLS + CLS) {
        const int c = t - CLS * CELLS;
        float s = 0.0f;
        for (int j = 0; j < n; j++) {
            s += gl[j * CLS + c];
        }
        grad[OFF_BOUT + c] = s;
    }
}

/* The loss sum and correct count of n samples into slot `slot`: one work-group, a fixed summation order. */
__kernel __attribute__((reqd_work_group_size(MET_WG, 1, 1)))
void batch_metrics(__global const float* restrict loss,
                   __global const int* restrict correct,
                   const int n,
                   __global float* restrict lossSlots,
                   __global int* restrict correctSlots,
                   const int slot)
{
    __local float ls[MET_WG];
    __local int cs[MET_WG];
    const int lid = get_local_id(0);
    float s = 0.0f;
    int k = 0;
    for (int j = lid; j < n; j += MET_WG) {
        s += loss[j];
        k += correct[j];
    }
    ls[lid] = s;
    cs[lid] = k;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = MET_WG / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            ls[lid] += ls[lid + stride];
            cs[lid] += cs[lid + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        lossSlots[slot] = ls[0];
        correctSlots[slot] = cs[0];
    }
}
