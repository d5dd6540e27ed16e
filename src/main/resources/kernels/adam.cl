/*
 * One Adam step (PyTorch semantics, bias-corrected) over the flat parameter buffer, every tensor at once:
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  p -= (lr / (1-b1^t)) m / (sqrt(v) / sqrt(1-b2^t) + eps)
 * The host passes stepSize = lr / (1-b1^t) and bc2Sqrt = sqrt(1-b2^t), computed as CpuBackend does, and
 * decay = 1 - lr * weightDecay: AdamW's decoupled decay, applied first as PyTorch does (1 for plain Adam).
 */
#define BETA1 0.9f
#define BETA2 0.999f
#define EPSILON 1e-8f

__kernel void adam(__global float* restrict params,
                   __global float* restrict m,
                   __global float* restrict v,
                   __global const float* restrict grad,
                   const int count,
                   const float stepSize,
                   const float bc2Sqrt,
                   const float decay)
{
    const int i = get_global_id(0);
    if (i >= count) {
        return;
    }
    const float g = grad[i];
    const float mi = BETA1 * m[i] + (1.0f - BETA1) * g;
    const float vi = BETA2 * v[i] + (1.0f - BETA2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = params[i] * decay - stepSize * mi / (sqrt(vi) / bc2Sqrt + EPSILON);
}
