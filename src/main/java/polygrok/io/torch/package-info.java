/**
 * Reading PyTorch checkpoints (.pth, the zip format torch.save writes since PyTorch 1.6) without
 * Python: the archive's pickle is read by a restricted unpickler that knows only the globals a state
 * dict needs, and every tensor comes back as float64 values with its shape. Nothing in a .pth is
 * ever executed.
 */
package polygrok.io.torch;
