"""Independent numpy values for polygrok's analysis tests.

Run from this directory:  python3 make_expected.py > expected.json
Inputs are generated here (seeded) and stored in the JSON beside the outputs, so the Java side
needs no RNG of its own. Everything is written from the definitions, with numpy's FFT where it
fits, not by transcribing the Java code.
"""
import json
import numpy as np

rng = np.random.default_rng(20240607)


def spectrum(W, n):
    """mu_k, nu_k from numpy's FFT: for unit-normalised cos/sin, coefficient = sqrt(2/n) * Re/Im."""
    F = np.fft.rfft(W[:, :n], axis=1)  # [d][n//2+1]
    K = n // 2
    cos_c = np.sqrt(2.0 / n) * F[:, 1:K + 1].real
    sin_c = -np.sqrt(2.0 / n) * F[:, 1:K + 1].imag
    if n % 2 == 0:
        cos_c[:, K - 1] = F[:, K].real / np.sqrt(n)  # Nyquist cosine has norm sqrt(n), not sqrt(n/2)
        sin_c[:, K - 1] = 0.0
    const = F[:, 0].real / np.sqrt(n)
    return float(np.linalg.norm(const)), np.linalg.norm(cos_c, axis=0), np.linalg.norm(sin_c, axis=0)


def denoise(mu, nu):
    """Norms at or below 1e-9 of the largest are rounding noise and count as exactly zero."""
    floor = 1e-9 * max(mu.max(), nu.max())
    return np.where(mu <= floor, 0.0, mu), np.where(nu <= floor, 0.0, nu)


def ffd(mu, nu, eta=0.5):
    mu, nu = denoise(mu, nu)
    K = len(mu)
    a = (mu / mu.max() > eta).sum() if mu.max() > 0 else 0
    b = (nu / nu.max() > eta).sum() if nu.max() > 0 else 0
    return float((a + b) / (2 * K))


def fcr(mu, nu):
    mu, nu = denoise(mu, nu)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.minimum(mu / nu, nu / mu)
    r = np.nan_to_num(r, nan=0.0, posinf=0.0)
    return float(r.mean())


def gini(x):
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if x.sum() == 0:
        return 0.0
    # mean absolute difference form, independent of the sorted-rank form used in Java
    mad = np.abs(x[:, None] - x[None, :]).sum()
    return float(mad / (2 * n * n * x.mean()))


def primitive_root(p):
    for g in range(2, p):
        if len({pow(g, j, p) for j in range(p - 1)}) == p - 1:
            return g


def pca2(W, p):
    X = W[:, :p].T
    X = X - X.mean(axis=0)
    # eigen-decomposition of the covariance, not an SVD, for independence
    cov = X.T @ X
    vals, vecs = np.linalg.eigh(cov)
    idx = np.argsort(vals)[::-1]
    vals, vecs = vals[idx], vecs[:, idx]
    coords = []
    for a in range(2):
        v = vecs[:, a]
        if v[np.argmax(np.abs(v))] < 0:
            v = -v
        coords.append(X @ v)
    return np.stack(coords, axis=1), vals[:2] / vals.sum()


def ablation(logits, p, labels, keys, mask):
    """Restricted/excluded loss with an explicit 2-D basis built from cos(w(a+b)), sin(w(a+b)), cos(w(a-b)), sin(w(a-b))."""
    a = np.arange(p)[:, None]
    b = np.arange(p)[None, :]
    dirs = []
    for k in keys:
        w = 2 * np.pi * k / p
        for f in (np.cos(w * (a + b)), np.sin(w * (a + b)), np.cos(w * (a - b)), np.sin(w * (a - b))):
            dirs.append(f.reshape(-1))
    D = np.stack(dirs, axis=1)  # [p*p][4K]; spans the same space as the cos/sin products
    Q, R = np.linalg.qr(D)
    keep = np.abs(np.diag(R)) > 1e-9
    Q = Q[:, keep]
    L = logits
    P = Q @ (Q.T @ L)
    restricted = L.mean(axis=0, keepdims=True) + P
    excluded = L - P

    def ce(Z):
        Z = Z[mask]
        y = labels[mask]
        m = Z.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
        return float((lse - Z[np.arange(len(y)), y]).mean())

    return ce(L), ce(restricted), ce(excluded)


def main():
    out = {}

    # random matrices, odd and even n
    for name, d, n in (("odd", 6, 13), ("even", 5, 12)):
        W = rng.normal(size=(d, n + 3))  # extra columns beyond the tokens must be ignored
        const, mu, nu = spectrum(W, n)
        out["random_" + name] = {
            "n": n, "w": W.tolist(), "constant": const, "mu": mu.tolist(), "nu": nu.tolist(),
            "ffd": ffd(mu, nu), "ffd_0.3": ffd(mu, nu, 0.3), "fcr": fcr(mu, nu),
            "gini": gini(np.hypot(mu, nu)),
        }

    # discrete-log spectrum of a random matrix, p = 11
    p = 11
    W = rng.normal(size=(4, p + 5))
    g = primitive_root(p)
    order = [pow(g, j, p) for j in range(p - 1)]
    const, mu, nu = spectrum(W[:, order], p - 1)
    out["dlog"] = {"p": p, "g": g, "w": W.tolist(), "constant": const, "mu": mu.tolist(), "nu": nu.tolist()}

    # a multiplicative character embedding: sparse in the dlog basis, spread in the additive one
    p = 13
    g = primitive_root(p)
    log = {pow(g, j, p): j for j in range(p - 1)}
    W = np.zeros((2, p + 5))
    for t in range(1, p):
        W[0, t] = np.cos(2 * np.pi * 3 * log[t] / (p - 1))
        W[1, t] = np.sin(2 * np.pi * 3 * log[t] / (p - 1))
    c_add, mu_a, nu_a = spectrum(W, p)
    c_dl, mu_d, nu_d = spectrum(W[:, [pow(g, j, p) for j in range(p - 1)]], p - 1)
    out["character"] = {"p": p, "w": W.tolist(), "ffd_additive": ffd(mu_a, nu_a), "ffd_dlog": ffd(mu_d, nu_d),
                        "gini_additive": gini(np.hypot(mu_a, nu_a)), "gini_dlog": gini(np.hypot(mu_d, nu_d))}

    # PCA
    p = 9
    W = rng.normal(size=(7, p + 5))
    coords, ev = pca2(W, p)
    out["pca"] = {"p": p, "w": W.tolist(), "coords": coords.tolist(), "explained": ev.tolist()}

    # restricted / excluded loss on random logits with a Fourier-ish signal in them
    p = 7
    classes = p + 5
    A, B = np.meshgrid(np.arange(p), np.arange(p), indexing="ij")
    labels = ((A + B) % p).reshape(-1)
    logits = rng.normal(size=(p * p, classes))
    for c in range(p):
        logits[:, c] += 3 * np.cos(2 * np.pi * 2 * ((A + B - c) % p) / p).reshape(-1)
    mask = rng.random(p * p) < 0.4
    keys = [2, 3]
    full_all, r_all, e_all = ablation(logits, p, labels, keys, np.ones(p * p, dtype=bool))
    full_m, r_m, e_m = ablation(logits, p, labels, keys, mask)
    out["ablation"] = {"p": p, "logits": logits.tolist(), "labels": labels.tolist(), "mask": mask.tolist(), "keys": keys,
                       "all": [full_all, r_all, e_all], "masked": [full_m, r_m, e_m]}

    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
