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

    /** Initialisation: normal with a standard deviation, or a constant (LayerNorm). */
    public record Init(double std, double constant) {
        public static Init normal(double std) {
            return new Init(std, 0);
        }

        public static Init constant(double c) {
            return new Init(0, c);
        }
    }

    public long size() {
        return shape.size();
    }
}
