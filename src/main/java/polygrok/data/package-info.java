/**
 * Tasks and their data: the operations registry ({@link polygrok.data.Operations}), polynomial
 * expressions ({@link polygrok.data.ExpressionParser}), token formats and the vocabulary, and
 * {@link polygrok.data.Datasets}, which turns a {@link polygrok.data.DataSpec} (or an experiment
 * config) and a seed into flat train/test arrays with the same split Python's
 * {@code random.shuffle} gives ({@link polygrok.data.PythonRandom}).
 *
 * <p>The config floor below cannot import this package; it reaches the registry through
 * {@link polygrok.config.OperationCheck}, which {@link polygrok.data.RegistryOperationCheck}
 * provides via {@code META-INF/services}.
 */
package polygrok.data;
