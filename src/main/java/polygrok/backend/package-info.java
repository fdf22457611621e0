/**
 * The seam between the math and the hardware: the Backend interface (every op of the model, forward and
 * backward, over tensors with a model axis M) and the small types its methods take; implemented below it.
 */
package polygrok.backend;
