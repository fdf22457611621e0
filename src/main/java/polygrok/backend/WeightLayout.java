package polygrok.backend;

/** How a linear map's weight is stored. */
public enum WeightLayout {
    /** W [out, in], y = x W^T (mlp.W_in, mlp.W_out, inproj.W, mlps.l.W, outproj.W, attn.W_O). */
    OUT_IN,
    /** W [in, out], y = x W (unembed.W_U). */
    IN_OUT
}
