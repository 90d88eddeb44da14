#!/usr/bin/env python3
"""Check the committed tiny model set against the torch modules it was exported from.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/parity/check_parity_set.py

Rebuilds the seeded torch modules (make_parity_set.build_models), then for every model folder:
onnx.checker, graph inputs/outputs (dtypes, which axes are dynamic), external data loading, and the
graphs' numbers against torch at shapes other than the traced ones (batch 1 and 2, non-square latents,
a 154-token text sequence for the UNet), using lsmodels.onnx_eval since onnxruntime is not available
here. Also checks that the tokenizer keeps every vocabulary word as one token and that every manifest
case's files exist and hold finite, non-constant data. Exits non-zero on the first failure.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image

import make_parity_set as mps
from lsmodels import bpe_vocab, onnx_eval, reference_pipeline

PARTS = ("text_encoder", "unet", "vae_decoder", "vae_encoder")


def check(cond, msg):
    if not cond:
        raise SystemExit(f"FAIL: {msg}")


def close(name, got, want, rtol):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    check(got.shape == want.shape, f"{name}: shape {got.shape} != {want.shape}")
    err = np.abs(got - want).max() / max(np.abs(want).max(), 1e-6)
    check(err <= rtol, f"{name}: max relative error {err:.2e} > {rtol:.0e}")
    print(f"    {name:52s} ok (max err {err:.1e} of max |x|)")


def check_graph_io(path, fp16):
    m = onnx.load(path, load_external_data=False)
    onnx.checker.check_model(path)
    for v in list(m.graph.input) + list(m.graph.output):
        dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
        dynamic = [k for k, d in enumerate(dims) if isinstance(d, str)]
        want_dynamic = {"timestep": [], "input_ids": [0], "last_hidden_state": [0], "pooler_output": [0],
                        "encoder_hidden_states": [0, 1]}.get(v.name, [0, 2, 3])
        check(dynamic == want_dynamic, f"{path}: {v.name} dynamic axes {dynamic}, want {want_dynamic} ({dims})")
        elem = v.type.tensor_type.elem_type
        if v.name == "input_ids":
            check(elem == onnx.TensorProto.INT32, f"{v.name} must be int32")
        elif fp16:
            check(elem == onnx.TensorProto.FLOAT16, f"{path}: {v.name} must be float16")


def model_outputs(folder, part, feeds, dtype):
    path = os.path.join(folder, part, "model.onnx")
    model = onnx.load(path, load_external_data=True)  # raises if the external data is missing
    feeds = {k: (v.astype(dtype) if v.dtype == np.float32 else v) for k, v in feeds.items()}
    return onnx_eval.run(model, feeds)


@torch.no_grad()
def check_folder(folder, text_encoder, unet, vae, timestep_kind, fp16):
    print(f"  {os.path.basename(folder)}")
    for part in PARTS:
        check_graph_io(os.path.join(folder, part, "model.onnx"), fp16)
    dtype = np.float16 if fp16 else np.float32
    rtol = 2e-2 if fp16 else 2e-4
    g = torch.Generator().manual_seed(7)
    vocab_size = text_encoder.config.vocab_size

    ids = torch.full((2, 77), vocab_size - 1, dtype=torch.int32)
    ids[:, 0] = vocab_size - 2
    ids[0, 1:6] = torch.tensor([3, 300, 301, 302, 303])
    ids[1, 1:3] = torch.tensor([400, 401])
    ids[1, 3] = vocab_size - 1
    out = model_outputs(folder, "text_encoder", {"input_ids": ids.numpy()}, dtype)
    h, p = text_encoder(ids)
    close("text_encoder last_hidden_state [2,77]", out["last_hidden_state"], h, rtol)
    close("text_encoder pooler_output [2]", out["pooler_output"], p, rtol)

    ts_dtype = {"int64": np.int64, "float32": np.float32, "float16": np.float16}[timestep_kind]
    t_value = 815.5 if timestep_kind != "int64" else 815  # 815.5 is exact in fp16 too
    for batch, hw, seq in ((1, (8, 8), 77), (2, (8, 12), 154)):
        sample = torch.randn(batch, 4, *hw, generator=g)
        states = torch.randn(batch, seq, unet.config.cross_attention_dim, generator=g)
        feeds = {"sample": sample.numpy(), "encoder_hidden_states": states.numpy(),
                 "timestep": np.array([t_value], dtype=ts_dtype)}
        out = model_outputs(folder, "unet", feeds, dtype)["out_sample"]
        want = unet(sample, torch.tensor(t_value, dtype=torch.float32), encoder_hidden_states=states).sample
        close(f"unet batch {batch} latent {hw} seq {seq} t {t_value}", out, want, rtol)

    z = torch.randn(2, 4, 8, 12, generator=g)
    out = model_outputs(folder, "vae_decoder", {"latent_sample": z.numpy()}, dtype)["sample"]
    close("vae_decoder batch 2 latent (8, 12)", out, vae.decode(z).sample, rtol)

    x = torch.rand(1, 3, 64, 96, generator=g) * 2 - 1
    out = model_outputs(folder, "vae_encoder", {"sample": x.numpy()}, dtype)["latent_parameters"]
    close("vae_encoder batch 1 image (64, 96)", out, vae.encode(x).latent_dist.parameters, rtol)


def check_tokenizer(folder):
    """Every word of the word list and of the case prompts is one token; framing is SD1.5's."""
    tok = bpe_vocab.Tokenizer.from_folder(os.path.join(folder, "tokenizer"))
    pieces = set(mps.WORDS)
    for case in mps.cases():
        for text in (case["prompt"], case["negative_prompt"] or ""):
            pieces.update(tok.decoder[i][:-4] for i in tok.encode(text))  # split as the tokenizer splits
    for w in sorted(pieces):
        check(len(tok.encode(w)) == 1, f"word {w!r} -> {tok.tokenize(w)}")
    for case in mps.cases():
        ids = tok(case["prompt"])
        n = len(tok.encode(case["prompt"]))
        check(len(ids) == 77 and ids[0] == tok.bos_token_id and set(ids[n + 1:]) == {tok.eos_token_id}, "framing")
    print(f"  tokenizer: {tok.vocab_size} tokens, BOS {tok.bos_token_id}, EOS {tok.eos_token_id}; "
          f"all {len(pieces)} words of the word list and prompts are single tokens")


class _Config(dict):
    __getattr__ = dict.__getitem__


class OnnxTextEncoder:
    def __init__(self, folder):
        self.model = onnx.load(os.path.join(folder, "text_encoder", "model.onnx"))

    def __call__(self, input_ids):
        out = onnx_eval.run(self.model, {"input_ids": input_ids.numpy().astype(np.int32)})
        return torch.from_numpy(out["last_hidden_state"]), torch.from_numpy(out["pooler_output"])


class OnnxUNet:
    """The UNet as OnnxStableDiffusionPipeline calls it: timestep cast to the graph's input dtype."""

    def __init__(self, folder):
        self.model = onnx.load(os.path.join(folder, "unet", "model.onnx"), load_external_data=True)
        with open(os.path.join(folder, "unet", "config.json")) as f:
            self.config = _Config(json.load(f))
        ts = next(v for v in self.model.graph.input if v.name == "timestep")
        self.timestep_dtype = onnx_eval._NP[ts.type.tensor_type.elem_type]

    def __call__(self, sample, t, encoder_hidden_states, return_dict=False):
        feeds = {"sample": sample.numpy(), "encoder_hidden_states": encoder_hidden_states.numpy(),
                 "timestep": np.array([float(t)]).astype(self.timestep_dtype)}
        return (torch.from_numpy(onnx_eval.run(self.model, feeds)["out_sample"]),)


class OnnxVae:
    def __init__(self, folder):
        from diffusers.models.autoencoders.vae import DiagonalGaussianDistribution
        self._dist = DiagonalGaussianDistribution
        self.decoder = onnx.load(os.path.join(folder, "vae_decoder", "model.onnx"))
        self.encoder = onnx.load(os.path.join(folder, "vae_encoder", "model.onnx"))
        with open(os.path.join(folder, "vae_decoder", "config.json")) as f:
            self.config = _Config(json.load(f))

    def decode(self, z, return_dict=False):
        return (torch.from_numpy(onnx_eval.run(self.decoder, {"latent_sample": z.numpy()})["sample"]),)

    def encode(self, x):
        moments = torch.from_numpy(onnx_eval.run(self.encoder, {"sample": x.numpy()})["latent_parameters"])
        return _Config(latent_dist=self._dist(moments))


def check_onnx_pipeline(models, parity_dir, names):
    """Re-run cases with the ONNX graphs in place of the torch modules; compare with the reference."""
    with open(os.path.join(parity_dir, "cases.json")) as f:
        cases = {c["name"]: c for c in json.load(f)["cases"]}
    for variant in ("tiny-sd", "tiny-sd-ts32"):
        folder = os.path.join(models, variant)
        tok = bpe_vocab.Tokenizer.from_folder(os.path.join(folder, "tokenizer"))
        with open(os.path.join(folder, "scheduler", "scheduler_config.json")) as f:
            sched = json.load(f)
        comp = reference_pipeline.Components(tok, OnnxTextEncoder(folder), OnnxUNet(folder), OnnxVae(folder), sched)
        for name in names:
            c = cases[name]
            kw = dict(negative_prompt=c["negative_prompt"], seed=c["seed"], steps=c["steps"],
                      guidance_scale=c["guidance_scale"], sampler=c["sampler"], schedule=c["scheduler"], eta=c["eta"])
            if c["init_image"]:
                init = Image.open(os.path.join(parity_dir, c["init_image"])).convert("RGB")
                r = reference_pipeline.img2img(comp, c["prompt"], init, strength=c["strength"], **kw)
            else:
                r = reference_pipeline.txt2img(comp, c["prompt"], width=c["width"], height=c["height"], **kw)
            want = np.load(os.path.join(parity_dir, c["latents"]))
            got = r.latents.numpy()
            err = np.abs(got - want).max() / np.abs(want).max()
            img = np.asarray(r.image).astype(int)
            ref = np.asarray(Image.open(os.path.join(parity_dir, c["image"]))).astype(int)
            pix = np.abs(img - ref).max()
            exact = variant == "tiny-sd-ts32" or not c["fractional_timesteps"]
            print(f"    onnx pipeline {variant:13s} {name:22s} latents max err {err:.1e} of max |x|, "
                  f"image max diff {pix}" + ("" if exact else "  (int64 timestep truncates: not expected to match)"))
            if exact:
                check(err < 1e-4 and pix <= 1, f"{variant} {name}: ONNX pipeline does not reproduce the reference")


def check_cases(parity_dir):
    with open(os.path.join(parity_dir, "cases.json")) as f:
        manifest = json.load(f)
    for case in manifest["cases"]:
        lat = np.load(os.path.join(parity_dir, case["latents"]))
        check(list(lat.shape) == case["latents_shape"] and np.isfinite(lat).all(), f"{case['name']} latents")
        img = np.asarray(Image.open(os.path.join(parity_dir, case["image"])))
        check(img.shape == (case["height"], case["width"], 3) and img.std() > 1, f"{case['name']} image")
    print(f"  {len(manifest['cases'])} cases: files present, latents finite, images not constant")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--resources", default=os.path.normpath(os.path.join(here, "..", "..", "test", "resources")))
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    models = os.path.join(args.resources, "models")
    vocab, merges = mps.build_vocab()
    text_encoder, unet, vae = mps.build_models(len(vocab))
    check_tokenizer(os.path.join(models, "tiny-sd"))
    check_folder(os.path.join(models, "tiny-sd"), text_encoder, unet, vae, "int64", False)
    check_folder(os.path.join(models, "tiny-sd-ts32"), text_encoder, unet, vae, "float32", False)
    check_folder(os.path.join(models, "tiny-sd-fp16"), text_encoder, unet, vae, "float16", True)
    check_cases(os.path.join(args.resources, "parity"))
    check_onnx_pipeline(models, os.path.join(args.resources, "parity"),
                        ["euler_leading", "euler_karras", "dpmpp_2m_karras", "img2img_euler", "ddim_eta05"])
    print("all checks passed")


if __name__ == "__main__":
    sys.exit(main())
