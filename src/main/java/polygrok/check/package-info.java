/**
 * Whether the gradients and numbers are right: central finite differences of every op and tiny whole
 * models on cpuref, and PyTorch reference files (forward, backward, three AdamW steps) run on any backend.
 */
package polygrok.check;
