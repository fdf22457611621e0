package polygrok.config;

/**
 * A config that cannot be used. The message names the source (file), the JSON path of the field
 * (e.g. {@code model.num_heads}), the bad value and what is allowed.
 */
public final class ConfigException extends IllegalArgumentException {
    private final String source;
    private final String path;
    private final String problem;

    public ConfigException(String path, String problem) {
        this(null, path, problem);
    }

    private ConfigException(String source, String path, String problem) {
        super(compose(source, path, problem));
        this.source = source;
        this.path = path;
        this.problem = problem;
    }

    private static String compose(String source, String path, String problem) {
        StringBuilder sb = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            sb.append(source).append(": ");
        }
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** The same error one level down: field "num_heads" under "model" becomes "model.num_heads". */
    public ConfigException under(String parent) {
        String p = path == null || path.isEmpty() ? parent
                : path.startsWith("[") ? parent + path : parent + "." + path;
        return new ConfigException(source, p, problem);
    }

    /** The same error, naming the file or source it came from. */
    public ConfigException inSource(String sourceName) {
        return new ConfigException(sourceName, path, problem);
    }

    /** JSON path of the offending field, e.g. "model.num_heads" or "ops[1]"; empty for the whole document. */
    public String path() {
        return path == null ? "" : path;
    }

    public String source() {
        return source;
    }

    public String problem() {
        return problem;
    }
}
