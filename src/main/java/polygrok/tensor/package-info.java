/**
 * Shapes, dtypes and tensors: a view (offset and shape, the model axis M first) of a storage that is
 * a Java array on the CPU backends or a device allocation on CUDA. No math lives here.
 */
package polygrok.tensor;
