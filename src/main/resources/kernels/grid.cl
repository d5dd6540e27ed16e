/*
 * The W grid layers, fused: one launch walks all layers forward, one walks them backward.
 *
 * A work-group owns S whole samples (S*H cells: a layer's cell p only needs cells p-R..p+R of the same sample,
 * so no work-group ever waits for another). Work-item lid owns cells i = lid + c*WG (c < CPT) of the group's
 * S*H cells in every layer, so what it carries from one layer to the next stays in its registers; only the
 * neighbours it must read from other work-items go through the scratch column (local memory, or global memory
 * with GLOBAL_SCRATCH when a tall column does not fit). The S samples of a group are consecutive rows of the
 * (n, H) and (W, n, H) buffers, so a group's S*H cells are one contiguous run: consecutive work-items read and
 * write consecutive addresses.
 *
 * In the scratch column each sample's row of H cells sits between R zeros on either side (HP = H + 2R floats a
 * row), so the 2R+1 neighbour reads need no bounds checks: a zero neighbour adds exactly nothing. (Its weight
 * read, w[q] for q just outside 0..H-1, lands on a neighbouring layer's weight or bias: valid memory, times 0.)
 */
#ifdef GLOBAL_SCRATCH
#define SCRATCH __global
#define SCRATCH_FENCE (CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE)
#else
#define SCRATCH __local
#define SCRATCH_FENCE CLK_LOCAL_MEM_FENCE
#endif

#define HP (H + 2 * R)   /* a row of the scratch column: R zeros, H cells, R zeros */
#define SHP (S * HP)
#define FWD_SCRATCH (2 * SHP)   /* a_{l-1} and a_l, double-buffered */
#if S > 1
#define BWD_SCRATCH (SHP + 2 * SH)   /* dL/dz, and the per-sample dw and db to sum over the group's samples */
#else
#define BWD_SCRATCH SHP
#endif

/* Zeroes n floats of the group's scratch (the halos stay zero for the whole launch). */
inline void zero_scratch(SCRATCH float* p, int n, int lid) {
    for (int t = lid; t < n; t += WG) {
        p[t] = 0.0f;
    }
}

/*
 * z_l[p] = b_l[p] + sum_{q=p-R..p+R, 0<=q<H} w_l[q] a_{l-1}[q];  a_l = h(z_l).
 * Writes z of every layer (when storeZ) for the backward pass, and a_W to aOut. One work-group per S samples.
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void grid_forward(__global const float* restrict params,
                  __global const float* restrict a0,      /* (n, H) */
                  __global float* restrict z,             /* (W, n, H), written when storeZ */
                  __global float* restrict aOut,          /* (n, H) */
                  __global float* scratch,                /* (groups, FWD_SCRATCH) with GLOBAL_SCRATCH */
                  const int n,
                  const int storeZ)
{
#ifdef GLOBAL_SCRATCH
    SCRATCH float* col = scratch + (size_t)get_group_id(0) * FWD_SCRATCH;
#else
    __local float col[FWD_SCRATCH];
#endif
    const int lid = get_local_id(0);
    const int j0 = get_group_id(0) * S;
    const int m = min(S, n - j0) * H;           /* cells of this group */
    const size_t rows = (size_t)j0 * H;         /* where the group's rows start in an (n, H) buffer */
    __global const float* gw = params + OFF_GW;
    __global const float* gb = params + OFF_GB;

    zero_scratch(col, FWD_SCRATCH, lid);
    barrier(SCRATCH_FENCE);
    for (int c = 0; c < CPT; c++) {
        const int i = lid + c * WG;
        if (i < m) {
            const int s = i / H;
            col[s * HP + R + (i - s * H)] = a0[rows + i];
        }
    }
    barrier(SCRATCH_FENCE);
    int src = 0;
    for (int l = 0; l < W; l++) {
        SCRATCH const float* in = col + src;
        SCRATCH float* out = col + (SHP - src);
        const int wl = l * H;
        for (int c = 0; c < CPT; c++) {
            const int i = lid + c * WG;
            if (i < m) {
                const int s = i / H;
                const int p = i - s * H;
                SCRATCH const float* row = in + s * HP + R;
                float acc = gb[wl + p];
#pragma unroll
                for (int d = -R; d <= R; d++) {
                    acc = fma(gw[wl + p + d], row[p + d], acc);
                }
                if (storeZ) {
                    z[(size_t)l * n * H + rows + i] = acc;
                }
                const float a = act(acc);
                if (l == W - 1) {
                    aOut[rows + i] = a;
                } else {
                    out[s * HP + R + p] = a;
                }
            }
        }
        barrier(SCRATCH_FENCE);
        src = SHP - src;
    }
}

/*
 * Backward through all layers, from W down to 1. In: ga = dL/da_W; out: ga = dL/da_0 (in place: each cell is
 * read and written by the same work-item). Per layer l and cell q:
 *   gz[p] = ga[p] h'(z_l[p]);  gu[q] = sum_{p=q-R..q+R} gz[p];  ga_{l-1}[q] = gu[q] w_l[q];
 *   dw_l[q] += gu[q] a_{l-1}[q];  db_l[q] += gz[q].
 * Deterministic reduction over the batch: work-group g handles sample sets g, g+slots, g+2*slots, ... in that
 * order and sums its samples' contributions in sample order into its own slot of partW/partB (no other
 * work-group touches it); grid_grads then adds the slots in slot order. No atomics anywhere.
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void grid_backward(__global const float* restrict params,
                   __global const float* restrict a0,     /* (n, H) */
                   __global const float* restrict z,      /* (W, n, H) */
                   __global float* restrict ga,           /* (n, H) in: dL/da_W, out: dL/da_0 */
                   __global float* restrict partW,        /* (slots, W, H) */
                   __global float* restrict partB,        /* (slots, W, H) */
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
    SCRATCH float* dws = gzs + SHP;
    SCRATCH float* dbs = gzs + SHP + SH;
#endif
    const int lid = get_local_id(0);
    const int g = get_group_id(0);
    const int sets = (n + S - 1) / S;
    __global const float* gw = params + OFF_GW;
    __global float* pw = partW + (size_t)g * W * H;
    __global float* pb = partB + (size_t)g * W * H;

    zero_scratch(gzs, SHP, lid);
    barrier(SCRATCH_FENCE);
    for (int set = g; set < sets; set += slots) {
        const int first = set == g;
        const int j0 = set * S;
        const int m = min(S, n - j0) * H;
        const size_t rows = (size_t)j0 * H;
        float gak[CPT];   /* dL/da of my cells in the current layer */
        float dk[CPT];    /* h'(z) of my cells in the current layer */
        for (int c = 0; c < CPT; c++) {
            const int i = lid + c * WG;
            gak[c] = 0.0f;
            dk[c] = 0.0f;
            if (i < m) {
                gak[c] = ga[rows + i];
                act_both(z[(size_t)(W - 1) * n * H + rows + i], &dk[c]);
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
                    const int s = i / H;
                    below[c] = l > 0 ? z[(size_t)(l - 1) * n * H + rows + i] : a0[rows + i];
                    gzk[c] = gak[c] * dk[c];
                    gzs[s * HP + R + (i - s * H)] = gzk[c];
                }
            }
            barrier(SCRATCH_FENCE);
            const int wl = l * H;
            for (int c = 0; c < CPT; c++) {
                const int i = lid + c * WG;
                if (i < m) {
                    const int s = i / H;
                    const int q = i - s * H;
                    SCRATCH const float* row = gzs + s * HP + R;
                    float gu = 0.0f;
#pragma unroll
                    for (int d = -R; d <= R; d++) {
                        gu += row[q + d];
                    }
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
            const int ns = m / H;
            for (int q = lid; q < H; q += WG) {
                float sw = 0.0f, sb = 0.0f;
                for (int s = 0; s < ns; s++) {
                    sw += dws[s * H + q];
                    sb += dbs[s * H + q];
                }
                const int e = wl + q;
                pw[e] = first ? sw : pw[e] + sw;
                pb[e] = first ? sb : pb[e] + sb;
            }
#endif
            barrier(SCRATCH_FENCE);
        }
        for (int c = 0; c < CPT; c++) {
            const int i = lid + c * WG;
            if (i < m) {
                ga[rows + i] = gak[c];
            }
        }
    }
}

/* grid.weight and grid.bias gradients: the partial slots added in slot order. One work-item per value. */
__kernel void grid_grads(__global const float* restrict partW,
                         __global const float* restrict partB,
                         __global float* restrict grad,
                         const int slots)
{
    const int t = get_global_id(0);
    const int wh = W * H;
    if (t >= 2 * wh) {
        return;
    }
    const int bias = t >= wh;
    const int e = bias ? t - wh : t;
    __global const float* part = bias ? partB : partW;
    float sum = 0.0f;
    for (int g = 0; g < slots; g++) {
        sum += part[(size_t)g * wh + e];
    }
    grad[(bias ? OFF_GB : OFF_GW) + e] = sum;
}

/* Adds the activations of n samples (stored as z by grid_forward) to maps[cls, p, l]. One work-item per cell. */
__kernel void class_map(__global const float* restrict z,     /* (W, n, H) */
                        __global float* restrict maps,        /* (10, H, W) */
                        const int n,
                        const int cls)
{
    const int t = get_global_id(0);
    if (t >= W * H) {
        return;
    }
    const int l = t / H;
    const int p = t - l * H;
    float sum = 0.0f;
    for (int j = 0; j < n; j++) {
        sum += act(z[((size_t)l * n + j) * H + p]);
    }
    maps[((size_t)cls * H + p) * W + l] += sum;
}
