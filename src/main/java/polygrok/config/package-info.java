/**
 * Experiments as immutable records parsed from JSON ({@link polygrok.config.ConfigLoader}):
 * validated in their compact constructors, defaults are the paper's, errors
 * ({@link polygrok.config.ConfigException}) name the file, the JSON path, the bad value and what
 * is allowed. Operation names are checked through {@link polygrok.config.OperationCheck}, found
 * with {@link java.util.ServiceLoader} so that this floor does not import the data floor above it.
 */
package polygrok.config;
