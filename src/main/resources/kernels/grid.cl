/*
 * The W grid layers, fused: one launch walks all layers forward, one walks them backward.
 *
 * A layer is a sheet of SR x SC cells: one row of H cells in a 2D grid, a 28 x 28 image in a 3D grid. A
 * work-group owns S whole samples (S*CELLS cells: a layer's cell reads only the window around it in the layer
 * below, of the same sample, so no work-group ever waits for another). Work-item lid owns cells i = lid + c*WG
 * (c < CPT) of the group's S*CELLS cells in every layer, so what it carries from one layer to the next stays in
 * its registers; only what other work-items must read goes through the scratch (local memory, or global memory
 * with GLOBAL_SCRATCH when it does not fit). The S samples of a group are consecutive rows of the (n, CELLS) and
 * (W, n, CELLS) buffers, so a group's cells are one contiguous run: consecutive work-items read and write
 * consecutive addresses.
 *
 * In the scratch each sample's sheet sits in a frame of zeros, RR rows above and below and RC columns either
 * side (PCELLS floats a sample), so the window reads need no bounds checks: a zero neighbour adds exactly
 * nothing, which is the zero "same" padding of the model.
 *
 * The weight belongs to the source cell: z_l[p] = b_l[p] + sum_{q in window(p)} w_l[q] a_{l-1}[q]. So the
 * forward scratch holds the products w_l[q] a_{l-1}[q], each made once by the work-item that owns q, and a
 * cell's sum is (2RR+1)(2RC+1) additions of scratch values.
 */
#ifdef GLOBAL_SCRATCH
#define SCRATCH __global
#define SCRATCH_FENCE (CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE)
#else
#define SCRATCH __local
#define SCRATCH_FENCE CLK_LOCAL_MEM_FENCE
#endif

#define PC (SC + 2 * RC)                  /* a framed row */
#define PCELLS ((SR + 2 * RR) * PC)       /* a framed sheet */
#define SP (S * PCELLS)
#define FWD_SCRATCH (2 * SP)              /* products of layer l and of layer l+1, double-buffered */
#if S > 1
#define BWD_SCRATCH (SP + 2 * SH)         /* dL/dz, and the per-sample dw and db to sum over the group's samples */
#else
#define BWD_SCRATCH SP
#endif

#ifdef GRID_3D
#define MAP_AT(cls, l, p) (((size_t)(cls) * W + (l)) * CELLS + (p))
#else
#define MAP_AT(cls, l, p) (((size_t)(cls) * CELLS + (p)) * W + (l))
#endif

/* Zeroes n floats of the group's scratch (the frames stay zero for the whole launch). */
inline void zero_scratch(SCRATCH float* p, int n, int lid) {
    for (int t = lid; t < n; t += WG) {
        p[t] = 0.0f;
    }
}

/* Where cell i of the group's S*CELLS cells sits in the scratch: in its sample's framed sheet. */
inline int framed(int i) {
    const int s = i / CELLS;
    const int p = i - s * CELLS;
    const int r = p / SC;
    return s * PCELLS + (r + RR) * PC + (p - r * SC) + RC;
}

/* acc plus the window around the framed cell x points at, row by row. */
inline float window_sum(SCRATCH const float* x, float acc) {
#pragma unroll
    for (int du = -RR; du <= RR; du++) {
#pragma unroll
        for (int dv = -RC; dv <= RC; dv++) {
            acc += x[du * PC + dv];
        }
    }
    return acc;
}

/*
 * z_l = b_l + window sums of w_l a_{l-1};  a_l = h(z_l). Writes z of every layer (when storeZ) for the backward
 * pass, and a_W to aOut. One work-group per S samples.
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void grid_forward(__global const float* restrict params,
                  __global const float* restrict a0,      /* (n, CELLS) */
                  __global float* restrict z,             /* (W, n, CELLS), written when storeZ */
                  __global float* restrict aOut,          /* (n, CELLS) */
                  __global float* scratch,                /* (groups, FWD_SCRATCH) with GLOBAL_SCRATCH */
                  const int n,
                  const int storeZ)
{
#ifdef GLOBAL_SCRATCH
    SCRATCH float* products = scratch + (size_t)get_group_id(0) * FWD_SCRATCH;
#else
    __local float products[FWD_SCRATCH];
#endif
    const int lid = get_local_id(0);
    const int j0 = get_group_id(0) * S;
    const int m = min(S, n - j0) * CELLS;       /* cells of this group */
    const size_t rows = (size_t)j0 * CELLS;     /* where the group's rows start in an (n, CELLS) buffer */
    __global const float* gw = params + OFF_GW;
    __global const float* gb = params + OFF_GB;

    zero_scratch(products, FWD_SCRATCH, lid);
    barrier(SCRATCH_FENCE);
    for (int c = 0; c < CPT; c++) {
        const int i = lid + c * WG;
        if (i < m) {
            products[framed(i)] = gw[i % CELLS] * a0[rows + i];
        }
    }
    barrier(SCRATCH_FENCE);
    int src = 0;
    for (int l = 0; l < W; l++) {
        SCRATCH const float* in = products + src;
        SCRATCH float* out = products + (SP - src);
        for (int c = 0; c < CPT; c++) {
            const int i = lid + c * WG;
            if (i < m) {
                const int p = i % CELLS;
                const int f = framed(i);
                const float acc = window_sum(in + f, gb[l * CELLS + p]);
                if (storeZ) {
                    z[(size_t)l * n * CELLS + rows + i] = acc;
                }
                const float a = act(acc);
                if (l == W - 1) {
                    aOut[rows + i] = a;
                } else {
                    out[f] = gw[(l + 1) * CELLS + p] * a;
                }
            }
        }
        barrier(SCRATCH_FENCE);
        src = SP - src;
    }
}

/*
 * Backward through all layers, from W down to 1. In: ga = dL/da_W; out (2D only): ga = dL/da_0, in place (each
 * cell is read and written by the same work-item). Per layer l and cell q, with symmetric windows:
 *   gz[p] = ga[p] h'(z_l[p]);  gu[q] = sum_{p in window(q)} gz[p];  ga_{l-1}[q] = gu[q] w_l[q];
 *   dw_l[q] += gu[q] a_{l-1}[q];  db_l[q] += gz[q].
 * Deterministic reduction over the batch: work-group g handles sample sets g, g+slots, g+2*slots, ... in that
 * order and sums its samples' contributions in sample order into its own slot of partW/partB (no other
 * work-group touches it); grid_grads then adds the slots in slot order. No atomics anywhere.
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void grid_backward(__global const float* restrict params,
                   __global const float* restrict a0,     /* (n, CELLS) */
                   __global const float* restrict z,      /* (W, n, CELLS) */
                   __global float* restrict ga,           /* (n, CELLS) in: dL/da_W, out: dL/da_0 */
                   __global float* restrict partW,        /* (slots, W, CELLS) */
                   __global float* restrict partB,        /* (slots, W, CELLS) */
                   __global float* scratch,               /* (slots, BWD_SCRATCH) with GLOBAL_SCRATCH */
                   const int n,
                   const int slots)
{
#ifdef GLOBAL_SCRATCH
    SCRATCH float* gzs = scratch + (size_t)get_group_id(0) * BWD_SCRATCH;
#else
    __local float gzs[BWD_SCRATCH];
#endif
#if S > 1
    SCRATCH float* dws = gzs + SP;
    SCRATCH float* dbs = gzs + SP + SH;
#endif
    const int lid = get_local_id(0);
    const int g = get_group_id(0);
    const int sets = (n + S - 1) / S;
    __global const float* gw = params + OFF_GW;
    __global float* pw = partW + (size_t)g * W * CELLS;
    __global float* pb = partB + (size_t)g * W * CELLS;

    zero_scratch(gzs, SP, lid);
    barrier(SCRATCH_FENCE);
    for (int set = g; set < sets; set += slots) {
        const int first = set == g;
        const int j0 = set * S;
        const int m = min(S, n - j0) * CELLS;
        const size_t rows = (size_t)j0 * CELLS;
        float gak[CPT];   /* dL/da of my cells in the current layer */
        float dk[CPT];    /* h'(z) of my cells in the current layer */
        for (int c = 0; c < CPT; c++) {
            const int i = lid + c * WG;
            gak[c] = 0.0f;
            dk[c] = 0.0f;
            if (i < m) {
                gak[c] = ga[rows + i];
                act_both(z[(size_t)(W - 1) * n * CELLS + rows + i], &dk[c]);
            }
        }
        for (int l = W - 1; l >= 0; l--) {
            float gzk[CPT];
            float below[CPT];   /* z_{l-1} (a_0 itself below the first grid layer) */
            for (int c = 0; c < CPT; c++) {
                const int i = lid + c * WG;
                gzk[c] = 0.0f;
                below[c] = 0.0f;
                if (i < m) {
                    below[c] = l > 0 ? z[(size_t)(l - 1) * n * CELLS + rows + i] : a0[rows + i];
                    gzk[c] = gak[c] * dk[c];
                    gzs[framed(i)] = gzk[c];
                }
            }
            barrier(SCRATCH_FENCE);
            const int wl = l * CELLS;
            for (int c = 0; c < CPT; c++) {
                const int i = lid + c * WG;
                if (i < m) {
                    const int q = i % CELLS;
                    const float gu = window_sum(gzs + framed(i), 0.0f);
                    /* a_{l-1} and, for the next layer down, h'(z_{l-1}): one call */
                    const float aBelow = l > 0 ? act_both(below[c], &dk[c]) : below[c];
                    gak[c] = gu * gw[wl + q];
#if S > 1
                    dws[i] = gu * aBelow;
                    dbs[i] = gzk[c];
#else
                    const int e = wl + q;
                    pw[e] = first ? gu * aBelow : pw[e] + gu * aBelow;
                    pb[e] = first ? gzk[c] : pb[e] + gzk[c];
#endif
                }
            }
#if S > 1
            barrier(SCRATCH_FENCE);
            const int ns = m / CELLS;
            for (int q = lid; q < CELLS; q += WG) {
                float sw = 0.0f, sb = 0.0f;
                for (int s = 0; s < ns; s++) {
                    sw += dws[s * CELLS + q];
                    sb += dbs[s * CELLS + q];
                }
                const int e = wl + q;
                pw[e] = first ? sw : pw[e] + sw;
                pb[e] = first ? sb : pb[e] + sb;
            }
#endif
            barrier(SCRATCH_FENCE);
        }
#ifndef GRID_3D
        for (int c = 0; c < CPT; c++) {   /* dL/da_0, for the input layer's gradients */
            const int i = lid + c * WG;
            if (i < m) {
                ga[rows + i] = gak[c];
            }
        }
#endif
    }
}

/* grid.weight and grid.bias gradients: the partial slots added in slot order. One work-item per value. */
__kernel void grid_grads(__global const float* restrict partW,
                         __global const float* restrict partB,
                         __global float* restrict grad,
                         const int slots)
{
    const int t = get_global_id(0);
    const int wc = W * CELLS;
    if (t >= 2 * wc) {
        return;
    }
    const int bias = t >= wc;
    const int e = bias ? t - wc : t;
    __global const float* part = bias ? partB : partW;
    float sum = 0.0f;
    for (int g = 0; g < slots; g++) {
        sum += part[(size_t)g * wc + e];
    }
    grad[(bias ? OFF_GB : OFF_GW) + e] = sum;
}

/*
 * Adds the activations of n samples (stored as z by grid_forward) to class cls's maps, and merges their squared
 * deviations from their own mean into dev2, which holds those of the prior samples already in maps (Chan et al.:
 * m2 += m2_b + delta^2 * n_a * n_b / (n_a + n_b)). The same arithmetic as CpuBackend.classMap. One work-item
 * per cell.
 */
__kernel void class_map(__global const float* restrict z,     /* (W, n, CELLS) */
                        __global float* restrict maps,        /* MAP_AT: sums of activations */
                        __global float* restrict dev2,        /* MAP_AT: sums of squared deviations */
                        const int n,
                        const int prior,
                        const int cls)
{
    const int t = get_global_id(0);
    if (t >= W * CELLS) {
        return;
    }
    const int l = t / CELLS;
    const int p = t - l * CELLS;
    float sum = 0.0f;
    for (int j = 0; j < n; j++) {
        sum += act(z[((size_t)l * n + j) * CELLS + p]);
    }
    const float mean = sum / n;
    float m2 = 0.0f;
    for (int j = 0; j < n; j++) {
        const float d = act(z[((size_t)l * n + j) * CELLS + p]) - mean;
        m2 += d * d;
    }
    const size_t at = MAP_AT(cls, l, p);
    if (prior > 0) {
        const float delta = mean - maps[at] / prior;
        m2 = dev2[at] + m2 + delta * delta * ((float)prior * n / (prior + n));
    }
    dev2[at] = m2;
    maps[at] += sum;
}
