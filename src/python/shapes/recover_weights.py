"""One-off: the shapes pack's torch weights, recovered exactly from its ONNX graphs.

The first training runs kept only the ONNX export, not the torch checkpoints. torch.onnx renamed and
reshaped some weights (Linear weights transposed into ``onnx::MatMul_N``, GroupNorm's affine unsqueezed
to [C, 1, 1] into ``onnx::Mul_N``/``onnx::Add_N``, equal tensors merged into one). Rather than encode
those rules, this script builds the same modules from the pack's configs, fills element k of the
parameters with the marker value MARKER_BASE + k, and exports them with export_pack's exact settings
(lsmodels.export, float32 timestep). Both exports have the same nodes in the same order, so each
initializer of the shipped graph sits where a marker initializer sits in ours, and the markers say which
parameter element each of its values is, through whatever transpose or reshape the exporter applied.

Checks, each fatal: the node lists match op for op; every parameter element is recovered, and identically
wherever it appears; every non-parameter constant equals ours; the recovered modules re-export to
initializers bit-identical to the shipped ones. Then it prints, for several inputs unlike the trace's,
the largest difference between the torch modules and the shipped graphs (check_pack.graph_differences),
and writes the diffusers layout beside the ONNX files (lsmodels.diffusers_folder.write_weights);
check_pack.py then compares the written files with the graphs, whole pictures included.

    source env.sh && $PY recover_weights.py [--pack assets/models/shapes] [--dry-run]
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import check_pack
import common
from lsmodels import diffusers_folder, export
from lsmodels import reference_pipeline as rp
from lsmodels.bpe_vocab import Tokenizer
from lsmodels.text_encoder import CLIPLikeTextEncoder, read_config

MARKER_BASE = 1 << 22  # with up to 2^23 parameter elements every marker is an exact float32 integer
GRAPHS = ("text_encoder", "unet", "vae_decoder", "vae_encoder")


def build_modules(pack: str):
    from diffusers import AutoencoderKL, UNet2DConditionModel
    te = CLIPLikeTextEncoder(read_config(os.path.join(pack, "text_encoder")))
    unet = UNet2DConditionModel.from_config(UNet2DConditionModel.load_config(os.path.join(pack, "unet")))
    vae = AutoencoderKL.from_config(AutoencoderKL.load_config(os.path.join(pack, "vae_decoder")))
    return {"text_encoder": te, "unet": unet, "vae": vae}


def export_graphs(modules, folder: str) -> dict:
    """The four graphs as export_pack writes them (same exporter, same trace inputs, same options)."""
    paths = {g: os.path.join(folder, g, "model.onnx") for g in GRAPHS}
    torch.manual_seed(0)
    export.export_text_encoder(modules["text_encoder"], paths["text_encoder"])
    export.export_unet(modules["unet"], paths["unet"], timestep_dtype=torch.float32)
    export.export_vae_decoder(modules["vae"], paths["vae_decoder"])
    export.export_vae_encoder(modules["vae"], paths["vae_encoder"])
    return {g: onnx.load(p) for g, p in paths.items()}


def fill_markers(module: torch.nn.Module) -> list:
    """Element k of the parameters (in named_parameters order) := MARKER_BASE + k; returns the spans."""
    if set(module.state_dict()) != {n for n, _ in module.named_parameters()}:
        raise SystemExit(f"{type(module).__name__} has persistent buffers: markers would miss them")
    spans, k = [], 0
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.arange(MARKER_BASE + k, MARKER_BASE + k + p.numel(), dtype=torch.float64).view(p.shape))
            spans.append((name, k, tuple(p.shape)))
            k += p.numel()
    if k >= 1 << 23:
        raise SystemExit("too many parameters for exact float32 markers")
    return spans


def paired_initializers(ours: onnx.ModelProto, shipped: onnx.ModelProto, graph: str) -> dict:
    """our initializer name -> the shipped one used at the same node input."""
    mine = {i.name for i in ours.graph.initializer}
    theirs = {i.name for i in shipped.graph.initializer}
    if len(ours.graph.node) != len(shipped.graph.node):
        raise SystemExit(f"{graph}: {len(ours.graph.node)} nodes in our export, {len(shipped.graph.node)} shipped")
    pairs = {}
    for i, (a, b) in enumerate(zip(ours.graph.node, shipped.graph.node)):
        if a.op_type != b.op_type or len(a.input) != len(b.input):
            raise SystemExit(f"{graph}: node {i} is {a.op_type} in our export, {b.op_type} shipped")
        for x, y in zip(a.input, b.input):
            if (x in mine) != (y in theirs) or (x in mine and pairs.setdefault(x, y) != y):
                raise SystemExit(f"{graph}: node {i} ({a.op_type}) reads {x} in our export, {y} shipped")
    return pairs


def recover(pack: str):
    """Torch modules holding the shipped weights, bit for bit."""
    modules = build_modules(pack)
    spans = {name: fill_markers(m) for name, m in modules.items()}
    sizes = {name: sum(int(np.prod(s)) for _, _, s in sp) for name, sp in spans.items()}
    values = {name: np.full(n, np.nan, np.float32) for name, n in sizes.items()}
    seen = {name: np.zeros(n, bool) for name, n in sizes.items()}
    with tempfile.TemporaryDirectory() as tmp:
        ours = export_graphs(modules, tmp)
    for graph in GRAPHS:
        owner = "vae" if graph.startswith("vae") else graph
        shipped = onnx.load(os.path.join(pack, graph, "model.onnx"))
        ours_init = {i.name: numpy_helper.to_array(i) for i in ours[graph].graph.initializer}
        shipped_init = {i.name: numpy_helper.to_array(i) for i in shipped.graph.initializer}
        n_markers = 0
        for x, y in paired_initializers(ours[graph], shipped, graph).items():
            m, r = ours_init[x], shipped_init[y]
            if m.shape != r.shape or m.dtype != r.dtype:
                raise SystemExit(f"{graph}: {x} is {m.dtype}{m.shape} in our export, {y} {r.dtype}{r.shape} shipped")
            ids = m.ravel().astype(np.float64) - MARKER_BASE
            if m.dtype == np.float32 and m.size and ids.min() >= 0 and ids.max() < sizes[owner] \
                    and np.all(ids == np.round(ids)):
                ids = ids.astype(np.int64)
                if len(np.unique(ids)) != len(ids):
                    raise SystemExit(f"{graph}: {x} repeats a parameter element")
                got = r.ravel()
                again = seen[owner][ids]
                if np.any(values[owner][ids][again].view(np.int32) != got[again].view(np.int32)):
                    raise SystemExit(f"{graph}: {y} disagrees with another initializer on a shared parameter")
                values[owner][ids] = got
                seen[owner][ids] = True
                n_markers += 1
            elif not np.array_equal(m, r, equal_nan=True):
                raise SystemExit(f"{graph}: constant {x} differs from the shipped {y}")
        print(f"{graph}: {n_markers} parameter initializers mapped, "
              f"{len(ours_init) - n_markers} constants equal", flush=True)
    recovered = build_modules(pack)
    for name, module in recovered.items():
        if not seen[name].all():
            missing = sorted({n for n, k, s in spans[name] if not seen[name][k:k + int(np.prod(s))].all()})
            raise SystemExit(f"{name}: {len(missing)} parameters not in any graph: {missing[:3]}")
        state = {n: torch.from_numpy(values[name][k:k + int(np.prod(s))].reshape(s).copy()) for n, k, s in spans[name]}
        module.load_state_dict(state, strict=True)
        module.eval()
    return recovered


def check_reexport(modules, pack: str) -> None:
    """The recovered modules, exported again, must give the shipped initializers bit for bit."""
    with tempfile.TemporaryDirectory() as tmp:
        again = export_graphs(modules, tmp)
        for graph in GRAPHS:
            shipped = onnx.load(os.path.join(pack, graph, "model.onnx"))
            a = {i.name: i.raw_data or numpy_helper.to_array(i).tobytes() for i in again[graph].graph.initializer}
            b = {i.name: i.raw_data or numpy_helper.to_array(i).tobytes() for i in shipped.graph.initializer}
            if a != b:
                bad = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
                raise SystemExit(f"{graph}: re-export differs in {len(bad)} initializers: {bad[:3]}")
            same_file = again[graph].SerializeToString() == shipped.SerializeToString()
            print(f"{graph}: re-export has the {len(a)} shipped initializers bit for bit"
                  f"{'; the whole graph is byte-identical' if same_file else ''}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", default=common.PACK)
    ap.add_argument("--dry-run", action="store_true", help="recover and check, write nothing")
    args = ap.parse_args()
    torch.set_num_threads(2)
    modules = recover(args.pack)
    check_reexport(modules, args.pack)
    c = rp.Components(Tokenizer.from_folder(os.path.join(args.pack, "tokenizer")), modules["text_encoder"],
                      modules["unet"], modules["vae"], {})
    for graph, diff in check_pack.graph_differences(check_pack.load_graphs(args.pack), c).items():
        print(f"{graph}: max |torch - shipped graph| = {diff:.2e}", flush=True)
    if args.dry_run:
        return
    with open(os.path.join(args.pack, "text_encoder", "config.json")) as f:
        te_json = json.load(f)
    diffusers_folder.write_weights(args.pack, modules["text_encoder"], modules["unet"], modules["vae"],
                                   te_json["bos_token_id"], te_json["eos_token_id"])
    print(f"diffusers layout written to {args.pack}", flush=True)


if __name__ == "__main__":
    main()
