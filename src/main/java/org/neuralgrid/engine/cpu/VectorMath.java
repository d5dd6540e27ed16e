package org.neuralgrid.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float sine, cosine and tanh on whole vectors. Math.sin per lane would cost ~20 ns a call, and a 128x128 grid
 * needs about two billion sines and cosines per epoch; these take a few cycles per lane. Accuracy: within 2e-7
 * absolute of the double result for |x| up to 8192; larger arguments (only seen when a run diverges) fall back
 * to Math.sin/Math.cos lane by lane, so the function is right everywhere.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    // pi/2 split in three floats with few mantissa bits each (Cody-Waite): n * PIO2_1 is exact for n < 2^16
    private static final float PIO2_1 = 1.5703125f;
    private static final float PIO2_2 = 4.837512969970703125e-4f;
    private static final float PIO2_3 = 7.54978995489188216e-8f;
    private static final float TWO_OVER_PI = 0.636619772367581343f;
    // adding 1.5 * 2^23 rounds a float to the nearest integer and leaves it in the low mantissa bits
    private static final float ROUNDER = 12582912f;
    private static final float LARGE = 8192f;
    // minimax polynomials on [-pi/4, pi/4] (Cephes sinf/cosf)
    private static final float S1 = -1.6666654611e-1f, S2 = 8.3321608736e-3f, S3 = -1.9515295891e-4f;
    private static final float C1 = 4.166664568298827e-2f, C2 = -1.388731625493765e-3f, C3 = 2.443315711809948e-5f;
    // exp: 2^n * e^r with |r| <= ln2/2
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E1 = 1.9875691500e-4f, E2 = 1.3981999507e-3f, E3 = 8.3334519073e-3f,
            E4 = 4.1665795894e-2f, E5 = 1.6666665459e-1f, E6 = 5.0000001201e-1f;
    private static final float TANH_CLAMP = 9f;

    /** Shuffles that fold the upper half of a vector onto its lower half, halving each time. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    private VectorMath() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] folds = new VectorShuffle[steps];
        for (int s = 0, half = F.length() / 2; s < steps; s++, half /= 2) {
            int h = half;
            folds[s] = VectorShuffle.fromOp(F, i -> (i + h) % F.length());
        }
        return folds;
    }

    /**
     * The sum of the lanes in a fixed order. reduceLanes(ADD) leaves the order open, and the interpreter and the
     * JIT compiler do pick different orders, so a run's floats would depend on when a method got compiled.
     */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(F, v);
    }

    /** Writes sin(x) to sin[sinOff..] and cos(x) to cos[cosOff..]. */
    static void sinCos(FloatVector x, float[] sin, int sinOff, float[] cos, int cosOff) {
        if (x.abs().compare(VectorOperators.GT, LARGE).anyTrue()) {
            scalarSinCos(x, sin, sinOff, cos, cosOff);
            return;
        }
        FloatVector t = x.fma(TWO_OVER_PI, ROUNDER);
        IntVector q = t.reinterpretAsInts();
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(bc(-PIO2_1), x);
        r = n.fma(bc(-PIO2_2), r);
        r = n.fma(bc(-PIO2_3), r);
        FloatVector z = r.mul(r);
        FloatVector s = z.fma(S3, S2).fma(z, bc(S1)).mul(z).fma(r, r);
        FloatVector c = z.fma(C3, C2).fma(z, bc(C1)).mul(z.mul(z)).add(z.fma(-0.5f, 1f));
        IntVector si = s.reinterpretAsInts();
        IntVector ci = c.reinterpretAsInts();
        VectorMask<Integer> odd = q.and(1).compare(VectorOperators.NE, 0);
        IntVector sinBits = si.blend(ci, odd).lanewise(VectorOperators.XOR, q.and(2).lanewise(VectorOperators.LSHL, 30));
        IntVector cosBits = ci.blend(si, odd).lanewise(VectorOperators.XOR, q.add(1).and(2).lanewise(VectorOperators.LSHL, 30));
        sinBits.reinterpretAsFloats().intoArray(sin, sinOff);
        cosBits.reinterpretAsFloats().intoArray(cos, cosOff);
    }

    private static void scalarSinCos(FloatVector x, float[] sin, int sinOff, float[] cos, int cosOff) {
        for (int i = 0; i < F.length(); i++) {
            double v = x.lane(i);
            sin[sinOff + i] = (float) Math.sin(v);
            cos[cosOff + i] = (float) Math.cos(v);
        }
    }

    /** e^x for x in [-88, 88]; callers clamp. */
    static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUNDER);
        IntVector n = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUNDER));
        FloatVector nf = t.sub(ROUNDER);
        FloatVector r = nf.fma(bc(-LN2_HI), x);
        r = nf.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(E1, E2).fma(r, bc(E3)).fma(r, bc(E4)).fma(r, bc(E5)).fma(r, bc(E6));
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector scale = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(scale);
    }

    /** tanh(x) = sign(x) (1 - 2 / (e^(2|x|) + 1)); |x| clamped where tanh is 1 in float. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs().min(TANH_CLAMP);
        FloatVector e = exp(a.add(a));
        FloatVector t = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        // small |x|: 1 - 2/(e+1) cancels; x - x^3/3 + 2x^5/15 is exact to float there
        FloatVector x2 = a.mul(a);
        FloatVector small = x2.fma(2f / 15f, -1f / 3f).mul(x2).mul(a).add(a);
        t = t.blend(small, a.compare(VectorOperators.LT, 0.0625f));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
    }
}
