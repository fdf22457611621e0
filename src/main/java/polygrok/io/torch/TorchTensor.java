package polygrok.io.torch;

/**
 * A tensor read from a .pth: its values as doubles (exact for every dtype polygrok accepts) in
 * row-major order, its shape, and the storage type it was saved with ("FloatStorage", ...).
 */
public record TorchTensor(double[] values, int[] shape, String storageType) {
    public TorchTensor {
        values = values.clone();
        shape = shape.clone();
    }

    public boolean isFloatingPoint() {
        return switch (storageType) {
            case "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage" -> true;
            default -> false;
        };
    }
}
