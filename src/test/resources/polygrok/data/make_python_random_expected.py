# Writes python_random_expected.txt: reference values from CPython's random module that
# PythonRandomTest compares against. Run with python3 from this directory.
import random

lines = []
for seed in (0, 1, 42, 2**32 + 7):
    random.seed(seed)
    lines.append("getrandbits32 %d %s" % (seed, " ".join(str(random.getrandbits(32)) for _ in range(8))))
    random.seed(seed)
    lines.append("randbelow %d %s" % (seed, " ".join(str(random.randrange(n)) for n in (1, 2, 3, 7, 97, 1000, 9409, 12345))))
    for n in (10, 97 * 97):
        items = list(range(n))
        random.seed(seed)
        random.shuffle(items)
        lines.append("shuffle %d %d %s" % (seed, n, " ".join(str(x) for x in items[:20])))
pairs = [(i, j) for i in range(97) for j in range(97)]
random.seed(0)
random.shuffle(pairs)
div = int(0.3 * len(pairs))
lines.append("split97 0 0.3 %d %s" % (div, " ".join("%d,%d" % p for p in pairs[:div][:50])))
pairs = [(i, j) for i in range(102) for j in range(102)]
random.seed(3)
random.shuffle(pairs)
div = int(0.5 * len(pairs))
lines.append("split102 3 0.5 %d %s" % (div, " ".join("%d,%d" % p for p in pairs[:div][:50])))
# filtered and 3-operand tuple lists, each in row-major order before the shuffle
variants = {
    "division": [(i, j) for i in range(97) for j in range(97) if j != 0],
    "symmetric": [(i, j) for i in range(97) for j in range(97) if i <= j],
    "non_zero": [(i, j) for i in range(97) for j in range(97) if i != 0 and j != 0],
    "triples": [(i, j, k) for i in range(7) for j in range(7) for k in range(7)],
}
for name, tuples in variants.items():
    random.seed(0)
    random.shuffle(tuples)
    div = int(0.3 * len(tuples))
    lines.append("variant %s %d %s" % (name, div, " ".join(",".join(str(x) for x in t) for t in tuples[:div][:30])))
# Grokfast's task (Lee et al. 2024): c = x*y mod 97 with x in 0..96 and y in 1..96, half of it trains
tuples = [(x, y) for x in range(97) for y in range(1, 97)]
random.seed(0)
random.shuffle(tuples)
div = int(0.5 * len(tuples))
lines.append("grokfast 0 0.5 %d %d %s" % (len(tuples), div, " ".join("%d,%d" % t for t in tuples[:div][:50])))
with open("python_random_expected.txt", "w") as f:
    f.write("\n".join(lines) + "\n")
