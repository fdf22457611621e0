package polygrok.tensor;

/**
 * The memory behind tensors: a Java array for the CPU backends, a device allocation for CUDA.
 * Each backend defines its own storage classes and only accepts its own.
 */
public interface Storage {
    /** Capacity in elements. */
    long length();

    DType dtype();
}
