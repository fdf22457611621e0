package polygrok.backend;

/** The MLP non-linearity: ReLU, or GELU in its exact erf form (not the tanh approximation). */
public enum Activation {
    RELU, GELU;

    /** Parses the seed's spelling ("ReLU", "GeLU") and lower-case forms. */
    public static Activation parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "relu" -> RELU;
            case "gelu" -> GELU;
            default -> throw new IllegalArgumentException("unknown activation '" + s + "'; allowed: ReLU, GeLU");
        };
    }
}
