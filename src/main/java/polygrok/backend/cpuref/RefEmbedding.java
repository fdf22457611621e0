package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;
import static polygrok.backend.cpuref.RefTensors.ints;

import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * Token embeddings (a gather from W_E [M, D, V]; the backward scatters into dW_E) and the learned
 * positional embedding. Float64 loops written to be read; see {@link CpuRefBackend}.
 */
final class RefEmbedding {
    private RefEmbedding() {
    }

    static void forward(Tensor wE, Tensor tokens, Tensor out) {
        double[] w = doubles(wE), o = doubles(out);
        int[] tok = ints(tokens);
        int dm = wE.dim(1), vocab = wE.dim(2), n = (int) tokens.perModel();
        for (int m = 0; m < out.models(); m++) {
            for (int e = 0; e < n; e++) {
                int token = tok[base(tokens, m) + e];
                OpShapes.checkToken(token, vocab, "token");
                for (int j = 0; j < dm; j++) {
                    o[base(out, m) + e * dm + j] = w[base(wE, m) + j * vocab + token];
                }
            }
        }
    }

    static void backward(Tensor dOut, Tensor tokens, Tensor dWE) {
        double[] g = doubles(dOut), w = doubles(dWE);
        int[] tok = ints(tokens);
        int dm = dWE.dim(1), vocab = dWE.dim(2), n = (int) tokens.perModel();
        for (int m = 0; m < dOut.models(); m++) {
            for (int e = 0; e < n; e++) {
                int token = tok[base(tokens, m) + e];
                for (int j = 0; j < dm; j++) {
                    w[base(dWE, m) + j * vocab + token] += g[base(dOut, m) + e * dm + j];
                }
            }
        }
    }

    /** out[m,b,:] = sum over t of table[m,:,tokens[m,b,t]], positions in order. */
    static void sumForward(Tensor table, Tensor tokens, Tensor out) {
        double[] w = doubles(table), o = doubles(out);
        int[] tok = ints(tokens);
        int dm = table.dim(1), vocab = table.dim(2), batch = tokens.dim(1), t = tokens.dim(2);
        for (int m = 0; m < out.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int j = 0; j < dm; j++) {
                    o[base(out, m) + e * dm + j] = 0;
                }
                for (int p = 0; p < t; p++) {
                    int token = tok[base(tokens, m) + e * t + p];
                    OpShapes.checkToken(token, vocab, "token");
                    for (int j = 0; j < dm; j++) {
                        o[base(out, m) + e * dm + j] += w[base(table, m) + j * vocab + token];
                    }
                }
            }
        }
    }

    /** dTable[m,:,tokens[m,b,t]] += dOut[m,b,:] for every position t. */
    static void sumBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        double[] g = doubles(dOut), w = doubles(dTable);
        int[] tok = ints(tokens);
        int dm = dTable.dim(1), vocab = dTable.dim(2), batch = tokens.dim(1), t = tokens.dim(2);
        for (int m = 0; m < dOut.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    int token = tok[base(tokens, m) + e * t + p];
                    for (int j = 0; j < dm; j++) {
                        w[base(dTable, m) + j * vocab + token] += g[base(dOut, m) + e * dm + j];
                    }
                }
            }
        }
    }

    static void positionalForward(Tensor wPos, Tensor x) {
        double[] w = doubles(wPos), a = doubles(x);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    for (int j = 0; j < dm; j++) {
                        a[base(x, m) + (e * t + p) * dm + j] += w[base(wPos, m) + p * dm + j];
                    }
                }
            }
        }
    }

    static void positionalBackward(Tensor dX, Tensor dWPos) {
        double[] g = doubles(dX), w = doubles(dWPos);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    for (int j = 0; j < dm; j++) {
                        w[base(dWPos, m) + p * dm + j] += g[base(dX, m) + (e * t + p) * dm + j];
                    }
                }
            }
        }
    }
}
