package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;
import static polygrok.backend.cpu.CpuContext.intData;

import java.util.Arrays;
import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * Gather and scatter-add of embedding tables stored feature-major ([M, D, V], a token's entries V
 * apart). Read in place, a token costs D cache lines; so each model's table is first turned into
 * token rows in a small workspace (V x D floats), and every example then copies or adds one
 * contiguous row. The same ops serve W_E and the first block's per-vocabulary q, k, v tables.
 */
final class CpuEmbedding {
    private final CpuContext cx;
    /** Per lane: one model's table as rows [V, D]. */
    private final float[][] rows;

    CpuEmbedding(CpuContext cx) {
        this.cx = cx;
        this.rows = new float[cx.pool.size()][0];
    }

    /** out[m, e, :] = table[m, :, tokens[m, e]]. */
    void forward(Tensor table, Tensor tokens, Tensor out) {
        float[] w = floats(table), o = floats(out);
        int[] tok = intData(tokens);
        int dm = table.dim(1), vocab = table.dim(2), n = (int) tokens.perModel();
        CpuContext.growAll(rows, vocab * dm);
        cx.forModels(out.models(), (long) n * dm, (m, lane) -> {
            float[] r = rows[CpuContext.scratch(lane)];
            int wb = base(table, m), ob = base(out, m), tb = base(tokens, m);
            toRows(w, wb, dm, vocab, r);
            cx.forRange(lane, n, 256, dm, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int token = tok[tb + e];
                    OpShapes.checkToken(token, vocab, "embed: token");
                    System.arraycopy(r, token * dm, o, ob + e * dm, dm);
                }
            });
        });
    }

    /** dTable[m, :, tokens[m, e]] += dOut[m, e, :], summed in example order (the same bits however split). */
    void backward(Tensor dOut, Tensor tokens, Tensor dTable) {
        float[] g = floats(dOut), w = floats(dTable);
        int[] tok = intData(tokens);
        int dm = dTable.dim(1), vocab = dTable.dim(2), n = (int) tokens.perModel();
        CpuContext.growAll(rows, vocab * dm);
        cx.forModels(dOut.models(), (long) n * dm, (m, lane) -> {
            float[] r = rows[CpuContext.scratch(lane)];
            int gb = base(dOut, m), wb = base(dTable, m), tb = base(tokens, m);
            Arrays.fill(r, 0, vocab * dm, 0f);
            // each task owns columns [from, to) of the rows and walks every example in order: no races
            cx.forRange(lane, dm, 64, n, (from, to, wk) -> {
                for (int e = 0; e < n; e++) {
                    cx.loops.addInto(g, gb + e * dm + from, r, tok[tb + e] * dm + from, to - from);
                }
            });
            addRows(r, w, wb, dm, vocab);
        });
    }

    /** out[m, b, :] = sum over t of table[m, :, tokens[m, b, t]], from the token rows, positions in order. */
    void sumForward(Tensor table, Tensor tokens, Tensor out) {
        float[] w = floats(table), o = floats(out);
        int[] tok = intData(tokens);
        int dm = table.dim(1), vocab = table.dim(2), batch = tokens.dim(1), t = tokens.dim(2);
        CpuContext.growAll(rows, vocab * dm);
        cx.forModels(out.models(), (long) batch * t * dm, (m, lane) -> {
            float[] r = rows[CpuContext.scratch(lane)];
            int wb = base(table, m), ob = base(out, m), tb = base(tokens, m);
            toRows(w, wb, dm, vocab, r);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int orow = ob + e * dm;
                    Arrays.fill(o, orow, orow + dm, 0f);
                    for (int p = 0; p < t; p++) {
                        int token = tok[tb + e * t + p];
                        OpShapes.checkToken(token, vocab, "embedSum: token");
                        cx.loops.addInto(r, token * dm, o, orow, dm);
                    }
                }
            });
        });
    }

    /** dTable[m, :, tokens[m, b, t]] += dOut[m, b, :] for every t, in (example, position) order (the same bits however split). */
    void sumBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        float[] g = floats(dOut), w = floats(dTable);
        int[] tok = intData(tokens);
        int dm = dTable.dim(1), vocab = dTable.dim(2), batch = tokens.dim(1), t = tokens.dim(2);
        CpuContext.growAll(rows, vocab * dm);
        cx.forModels(dOut.models(), (long) batch * t * dm, (m, lane) -> {
            float[] r = rows[CpuContext.scratch(lane)];
            int gb = base(dOut, m), wb = base(dTable, m), tb = base(tokens, m);
            Arrays.fill(r, 0, vocab * dm, 0f);
            // each task owns columns [from, to) of the rows and walks every example in order: no races
            cx.forRange(lane, dm, 64, (long) batch * t, (from, to, wk) -> {
                for (int e = 0; e < batch; e++) {
                    for (int p = 0; p < t; p++) {
                        cx.loops.addInto(g, gb + e * dm + from, r, tok[tb + e * t + p] * dm + from, to - from);
                    }
                }
            });
            addRows(r, w, wb, dm, vocab);
        });
    }

    /** The table [D, V] at w[wb..] as token rows [V, D] in r. */
    private static void toRows(float[] w, int wb, int dm, int vocab, float[] r) {
        for (int j = 0; j < dm; j++) {
            for (int v = 0; v < vocab; v++) {
                r[v * dm + j] = w[wb + j * vocab + v];
            }
        }
    }

    /** The token rows [V, D] in r added into the table [D, V] at w[wb..]. */
    private static void addRows(float[] r, float[] w, int wb, int dm, int vocab) {
        for (int j = 0; j < dm; j++) {
            for (int v = 0; v < vocab; v++) {
                w[wb + j * vocab + v] += r[v * dm + j];
            }
        }
    }

    /** x += W_pos, broadcast over examples. */
    void positionalForward(Tensor wPos, Tensor x) {
        float[] w = floats(wPos), a = floats(x);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        cx.forModels(x.models(), (long) batch * t * dm, (m, lane) -> {
            int wb = base(wPos, m), xb = base(x, m);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    for (int p = 0; p < t; p++) {
                        int row = xb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            a[row + j] += w[wb + p * dm + j];
                        }
                    }
                }
            });
        });
    }

    /** dW_pos += dX summed over examples; one task per position, which sums the examples in order. */
    void positionalBackward(Tensor dX, Tensor dWPos) {
        float[] g = floats(dX), w = floats(dWPos);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        cx.forModels(dX.models(), (long) batch * t * dm, (m, lane) -> {
            int gb = base(dX, m), wb = base(dWPos, m);
            // one task per position: it owns that row of dW_pos and sums examples in order
            cx.forRange(lane, t, 1, (long) batch * dm, (from, to, wk) -> {
                for (int p = from; p < to; p++) {
                    for (int e = 0; e < batch; e++) {
                        int row = gb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            w[wb + p * dm + j] += g[row + j];
                        }
                    }
                }
            });
        });
    }
}
