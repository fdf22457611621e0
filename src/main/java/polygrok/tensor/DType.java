package polygrok.tensor;

/** Element types a backend stores: its floating type (float64 or float32) or 32-bit integers. */
public enum DType {
    F64, F32, I32
}
