"""numpy values of the Fourier measures on the initial weights of three PyTorch reference files.

Run from this directory:  python3 make_reference_expected.py ../reference > reference_expected.json
(the argument is the reference directory, src/test/resources/reference, which the test reads from
the classpath). Reads safetensors by hand, so no torch is needed.
"""
import json
import struct
import sys

import numpy as np

sys.path.insert(0, ".")
from make_expected import spectrum, ffd, fcr, gini, primitive_root  # noqa: E402  (definitions, not results)


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype="<f4").astype(np.float64).reshape(info["shape"])
    return meta, out


def measures(params, p, w_out_name):
    WE = params["param.embed.W_E"]
    WU = params["param.unembed.W_U"]
    WO = params[w_out_name]
    WL_T = (WU[:, :p].T @ WO).T  # W_L = W_U[:, :p]^T W_out, tokens as columns
    _, mu, nu = spectrum(WE, p)
    _, mul, nul = spectrum(WL_T, p)
    g = primitive_root(p)
    _, mud, nud = spectrum(WE[:, [pow(g, j, p) for j in range(p - 1)]], p - 1)
    return {"p": p, "ffd": ffd(mu, nu), "fcr": fcr(mu, nu), "ffd_wl": ffd(mul, nul), "fcr_wl": fcr(mul, nul),
            "gini": gini(np.hypot(mu, nu)), "mu": mu.tolist(), "nu": nu.tolist(),
            "ffd_dlog": ffd(mud, nud), "fcr_dlog": fcr(mud, nud), "gini_dlog": gini(np.hypot(mud, nud))}


ref = sys.argv[1]
out = {}
for name, w_out in (("seed_add_p97", "param.blocks.0.mlp.W_out"), ("tiny_add", "param.blocks.0.mlp.W_out"),
                    ("tiny_gelu_2layer", "param.blocks.1.mlp.W_out")):
    meta, params = read(f"{ref}/{name}.safetensors")
    p = json.loads(meta["config"])["p"]
    out[name] = measures(params, p, w_out)
print(json.dumps(out, indent=1))
