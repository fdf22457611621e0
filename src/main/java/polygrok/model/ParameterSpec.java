package polygrok.model;

import polygrok.tensor.Shape;

/**
 * One named parameter: its per-model shape, its place in the [M][P] block and how it starts.
 *
 * @param name   the seed repository's state_dict name
 * @param shape  per-model shape (no model axis)
 * @param offset first element within one model's P parameters
 * @param init   how it is initialised
 */
public record ParameterSpec(String name, Shape shape, long offset, Init init) {

    /**
     * Initialisation: normal with a standard deviation, uniform on [-bound, bound] (PyTorch's default for
     * linear layers), or a constant (LayerNorm, zero biases).
     */
    public record Init(double std, double bound, double constant) {
        public static Init normal(double std) {
            return new Init(std, 0, 0);
        }

        public static Init uniform(double bound) {
            return new Init(0, bound, 0);
        }

        public static Init constant(double c) {
            return new Init(0, 0, c);
        }

        /** One value, drawing from {@code rng} only when the value is random. */
        double draw(org.apache.commons.math3.random.RandomGenerator rng) {
            return std > 0 ? std * rng.nextGaussian() : bound > 0 ? bound * (2 * rng.nextDouble() - 1) : constant;
        }
    }

    public long size() {
        return shape.size();
    }
}
