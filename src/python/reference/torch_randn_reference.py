"""Reference values for org.latentstudio.diffusion.TorchGenerator: torch.randn with a seeded CPU generator.

Writes src/test/resources/diffusion/randn/cases.json. Each case is a seed and a
list of successive ``torch.randn(shape, generator=g)`` draws from one ``torch.Generator("cpu").manual_seed(seed)``.
For every draw the file records the SHA-256 of the float32 bytes (so the Java test checks every value bit for
bit), and the values themselves where they are small enough to keep (or their first and last 256 values).

Run from the repository root with /usr/bin/python3 (torch 1.13):
    /usr/bin/python3 src/python/reference/torch_randn_reference.py
"""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import torch

OUT = os.path.join("src", "test", "resources", "diffusion", "randn")
FULL_LIMIT = 64  # draws up to this many values are stored whole
EDGE = 32  # larger draws keep their first and last EDGE values

SEEDS = [0, 1, 42, 2**31 - 1, 2**32 + 5, 2**63 - 1, 2**64 - 1, 123456789012345]
SIZES = [(1,), (2,), (15,), (16,), (17,), (31,), (32,), (33,), (256,), (4, 8, 8), (2, 4, 8, 8)]
# successive draws from one generator: the scalar path's cached normal must carry over, the 16+ path must not touch it
SEQUENCE = [(3,), (16,), (1,), (5,), (4, 8, 8), (1,), (2,), (17,), (7,), (2, 4, 8, 8), (1,), (1, 4, 8, 8)]


class F32List(list):
    """float32 values written with the shortest text that reads back as the same float32."""


def _encode(obj):
    if isinstance(obj, F32List):
        return "[" + ",".join(np.format_float_positional(np.float32(v), unique=True, trim="-")
                              if abs(float(v)) >= 1e-4 or v == 0 else
                              np.format_float_scientific(np.float32(v), unique=True, trim="-")
                              for v in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(k) + ":" + _encode(v) for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ",".join(_encode(v) for v in obj) + "]"
    return json.dumps(obj)


def draw_record(values: np.ndarray, shape) -> dict:
    values = np.ascontiguousarray(values, dtype="<f4")
    rec = {"shape": list(shape), "sha256": hashlib.sha256(values.tobytes()).hexdigest()}
    if values.size <= FULL_LIMIT:
        rec["values"] = F32List(values.reshape(-1))
    else:
        flat = values.reshape(-1)
        rec["head"] = F32List(flat[:EDGE])
        rec["tail"] = F32List(flat[-EDGE:])
    return rec


def case(seed: int, shapes, name: str) -> dict:
    g = torch.Generator("cpu").manual_seed(seed)
    draws = []
    for shape in shapes:
        t = torch.randn(shape, generator=g, dtype=torch.float32).numpy()
        draws.append(draw_record(t, shape))
    return {"name": name, "seed": str(seed), "draws": draws}


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for seed in SEEDS:
        for shape in SIZES:
            cases.append(case(seed, [shape], f"seed{seed}_{'x'.join(map(str, shape))}"))
    # SD latent shapes: 512x512 and 768x512
    cases.append(case(42, [(1, 4, 64, 64)], "seed42_1x4x64x64"))
    cases.append(case(0, [(1, 4, 64, 64)], "seed0_1x4x64x64"))
    cases.append(case(2**32 + 5, [(1, 4, 96, 64)], "seed4294967301_1x4x96x64"))
    cases.append(case(2**63 - 1, [(2, 4, 96, 64)], "seed9223372036854775807_2x4x96x64"))
    for seed in (0, 7, 2**64 - 1):
        cases.append(case(seed, SEQUENCE, f"sequence_seed{seed}"))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        f.write(_encode({"torch": torch.__version__, "cases": cases}).replace('{"name"', '\n{"name"') + "\n")


if __name__ == "__main__":
    main()
