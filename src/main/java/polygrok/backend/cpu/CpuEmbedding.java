package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.b;
import static polygrok.backend.cpu.CpuContext.f;
import static polygrok.backend.cpu.CpuContext.intData;

import java.util.Arrays;
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
        float[] w = f(table), o = f(out);
        int[] tok = intData(tokens);
        int dm = table.dim(1), vocab = table.dim(2), n = (int) tokens.perModel();
        CpuContext.growAll(rows, vocab * dm);
        cx.forModels(out.models(), (long) n * dm, (m, lane) -> {
            float[] r = rows[CpuContext.scratch(lane)];
            int wb = b(table, m), ob = b(out, m), tb = b(tokens, m);
            for (int j = 0; j < dm; j++) {
                for (int v = 0; v < vocab; v++) {
                    r[v * dm + j] = w[wb + j * vocab + v];
                }
            }
            cx.forRange(lane, n, 256, dm, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int token = tok[tb + e];
                    CpuContext.checkToken(token, vocab, "embed: token");
                    System.arraycopy(r, token * dm, o, ob + e * dm, dm);
                }
            });
        });
    }

    /** dTable[m, :, tokens[m, e]] += dOut[m, e, :], summed in example order (the same bits however split). */
    void backward(Tensor dOut, Tensor tokens, Tensor dTable) {
        float[] g = f(dOut), w = f(dTable);
        int[] tok = intData(tokens);
        int dm = dTable.dim(1), vocab = dTable.dim(2), n = (int) tokens.perModel();
        CpuContext.growAll(rows, vocab * dm);
        cx.forModels(dOut.models(), (long) n * dm, (m, lane) -> {
            float[] r = rows[CpuContext.scratch(lane)];
            int gb = b(dOut, m), wb = b(dTable, m), tb = b(tokens, m);
            Arrays.fill(r, 0, vocab * dm, 0f);
            // each task owns columns [from, to) of the rows and walks every example in order: no races
            cx.forRange(lane, dm, 64, n, (from, to, wk) -> {
                for (int e = 0; e < n; e++) {
                    cx.elementwise.addInto(g, gb + e * dm + from, r, tok[tb + e] * dm + from, to - from);
                }
            });
            for (int j = 0; j < dm; j++) {
                for (int v = 0; v < vocab; v++) {
                    w[wb + j * vocab + v] += r[v * dm + j];
                }
            }
        });
    }
}
