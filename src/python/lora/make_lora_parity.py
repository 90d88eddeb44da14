#!/usr/bin/env python3
"""LoRA parity set: random LoRAs for the tiny parity model, in every format, and diffusers' pictures with them.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/lora/make_lora_parity.py

Rebuilds the tiny model of ``parity/make_parity_set.py`` (same seed; checked against its stored reference) and
writes, under --resources (default: src/test/resources of this checkout):

  models/tiny-sd-diffusers/   the same model in diffusers' safetensors layout, which the Java compiler builds
  lora/tiny_a_kohya.safetensors        LoRA A: every Linear (attention, feed-forward, time projection), 1x1 conv
                                       (proj_in/out, shortcuts) and 3x3 conv (resnets, down/upsamplers, LoCon) of
                                       the UNet, and every Linear of the text encoder; rank 4, alpha 2
  lora/tiny_a_kohya_ldm.safetensors    the same, UNet names in LDM form (lora_unet_input_blocks_1_1_...)
  lora/tiny_a_peft.safetensors         the same, diffusers/PEFT keys (alpha/rank folded into lora_B: exact)
  lora/tiny_a_diffusers_old.safetensors  the same, older diffusers attention-processor keys
  lora/tiny_b_kohya.safetensors        LoRA B: attention and resnet convs only, rank 2, alpha 1
  lora/tiny_a_merged.safetensors       three UNet weights with A merged at strength 0.7 by PEFT's formulas (a Linear,
                                       a 1x1 and a 3x3 conv), for the Java merge test
  lora/cases.json, <case>.latents.npy, <case>.png   diffusers' txt2img with the LoRAs fused into the torch weights

Everything is seeded; reruns give byte-identical files.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))

import make_parity_set as parity  # noqa: E402
from lsmodels import bpe_vocab, diffusers_folder, export, reference_pipeline  # noqa: E402
from lsmodels import lora as lora_files  # noqa: E402
from lsmodels.text_encoder import to_transformers_names  # noqa: E402

LORA_SEED = 4321
PROMPT = "a red circle on a blue background"
CASE = dict(seed=7, steps=20, guidance_scale=7.5, sampler="euler", schedule="leading", width=64, height=64)
# (name, [(lora, strength_model, strength_clip), ...]) in the order the loaders are chained
CASES = [
    ("base", []),
    ("a_1_1", [("a", 1.0, 1.0)]),
    ("a_06_06", [("a", 0.6, 0.6)]),
    ("a_1_0", [("a", 1.0, 0.0)]),
    ("a_1_1_b_08_08", [("a", 1.0, 1.0), ("b", 0.8, 0.8)]),
]


def make_loras(unet, text_encoder):
    g = torch.Generator().manual_seed(LORA_SEED)
    skip = ("conv_in", "conv_out", "time_embedding.")
    unet_modules = lora_files.lora_modules(unet, lambda n, m: not n.startswith(skip))
    te_modules = {k[: -len(".weight")]: v for k, v in to_transformers_names(
        {n + ".weight": m for n, m in lora_files.lora_modules(text_encoder, lambda n, m: True).items()}).items()}
    a = {"unet": {n: lora_files.random_layer(m.weight, 4, 2.0, 0.35, g) for n, m in unet_modules.items()},
         "text_encoder": {n: lora_files.random_layer(m.weight, 4, 2.0, 0.35, g) for n, m in te_modules.items()}}
    b_keep = lambda n: ".attn" in n or ".resnets." in n and (n.endswith("conv1") or n.endswith("conv2"))
    b = {"unet": {n: lora_files.random_layer(m.weight, 2, 1.0, 0.3, g) for n, m in unet_modules.items() if b_keep(n)},
         "text_encoder": {n: lora_files.random_layer(m.weight, 2, 1.0, 0.3, g) for n, m in te_modules.items()
                          if "self_attn" in n}}
    return {"a": a, "b": b}


def check_ldm_names(unet, modules):
    """Our LDM names, read back by diffusers' own SGM-block mapper, land on the same diffusers modules."""
    from diffusers.loaders.lora_conversion_utils import _convert_unet_lora_key, _maybe_map_sgm_blocks_to_diffusers
    name = ldm_namer(unet)
    for m in modules:
        if ".upsamplers." in m:
            continue  # diffusers' mapper treats output_blocks.N.1.conv as an attention (its bug, not ours)
        ldm_key = "lora_unet_" + name(m).replace(".", "_") + ".lora_down.weight"
        mapped = next(iter(_maybe_map_sgm_blocks_to_diffusers({ldm_key: None}, unet.config)))
        ours = "lora_unet_" + m.replace(".", "_") + ".lora_down.weight"
        if _convert_unet_lora_key(mapped) != _convert_unet_lora_key(ours):
            raise RuntimeError(f"LDM name of {m}: {ldm_key} -> {mapped}, diffusers expects {ours}")


def ldm_namer(unet):
    types = unet.config.up_block_types
    return lambda m: lora_files.ldm_unet_name(m, unet.config.layers_per_block, lambda b: "CrossAttn" in types[b])


def run_case(components, loras, chain):
    c = copy.deepcopy(components)
    for name, s_model, s_clip in chain:
        lora_files.fuse(loras[name], c.unet, c.text_encoder, s_model, s_clip)
    return reference_pipeline.txt2img(c, PROMPT, **CASE)


def main(argv=None):
    default_resources = os.path.normpath(os.path.join(HERE, "..", "..", "test", "resources"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resources", default=default_resources)
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    start = time.time()
    import diffusers

    vocab, merges = parity.build_vocab()
    tokenizer = bpe_vocab.Tokenizer(vocab, merges)
    text_encoder, unet, vae = parity.build_models(len(vocab))
    config = export.SD15_SCHEDULER_CONFIG
    components = reference_pipeline.Components(tokenizer, text_encoder, unet, vae, config)

    # the rebuilt model must be the one in models/tiny-sd: its stored euler_leading reference must come back (up to
    # the BLAS build's summation order)
    manifest = json.load(open(os.path.join(args.resources, "parity", "cases.json")))
    ref = next(c for c in manifest["cases"] if c["name"] == "euler_leading")
    r = reference_pipeline.txt2img(components, ref["prompt"], seed=ref["seed"], steps=ref["steps"],
                                   guidance_scale=ref["guidance_scale"], sampler="euler", schedule="leading",
                                   width=ref["width"], height=ref["height"])
    stored = np.load(os.path.join(args.resources, "parity", ref["latents"]))
    if np.abs(stored - r.latents.numpy()).max() > 1e-3:
        raise RuntimeError("the rebuilt tiny model is not the one in models/tiny-sd")

    folder = os.path.join(args.resources, "models", "tiny-sd-diffusers")
    shutil.rmtree(folder, ignore_errors=True)
    diffusers_folder.write_folder(folder, text_encoder, unet, vae, vocab, merges, scheduler_config=config)

    out = os.path.join(args.resources, "lora")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    loras = make_loras(unet, text_encoder)
    a = loras["a"]
    check_ldm_names(unet, a["unet"])
    lora_files.save_kohya(os.path.join(out, "tiny_a_kohya.safetensors"), a)
    lora_files.save_kohya(os.path.join(out, "tiny_a_kohya_ldm.safetensors"), a, ldm=ldm_namer(unet))
    lora_files.save_peft(os.path.join(out, "tiny_a_peft.safetensors"), a)
    lora_files.save_diffusers_old(os.path.join(out, "tiny_a_diffusers_old.safetensors"), a)
    lora_files.save_kohya(os.path.join(out, "tiny_b_kohya.safetensors"), loras["b"])

    # expected merges, for one layer of each kind, by PEFT's formulas at strength 0.7
    merged = {}
    params = dict(unet.named_parameters())
    for module in ("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k",
                   "down_blocks.0.attentions.0.proj_in", "up_blocks.1.resnets.0.conv1"):
        layer = a["unet"][module]
        merged[module + ".weight"] = params[module + ".weight"] + 0.7 * lora_files.delta(layer).reshape(
            params[module + ".weight"].shape)
    diffusers_folder.save_safetensors(merged, os.path.join(out, "tiny_a_merged.safetensors"))

    entries = []
    base_pixels = None
    for name, chain in CASES:
        t0 = time.time()
        r = run_case(components, loras, chain)
        pixels = np.asarray(r.image).astype(np.float64)
        if pixels.std() < 1.0:
            raise RuntimeError(f"{name}: image is (nearly) constant")
        psnr_base = None
        if base_pixels is None:
            base_pixels = pixels
        else:
            psnr_base = round(float(10 * np.log10(255 ** 2 / np.mean((pixels - base_pixels) ** 2))), 2)
        np.save(os.path.join(out, f"{name}.latents.npy"), r.latents.numpy())
        r.image.save(os.path.join(out, f"{name}.png"), optimize=False)
        entries.append({"name": name, "loras": [{"lora": l, "strength_model": sm, "strength_clip": sc}
                                                for l, sm, sc in chain],
                        "latents": f"{name}.latents.npy", "image": f"{name}.png", "psnr_vs_base": psnr_base})
        print(f"  {name:16s} {time.time() - t0:5.1f}s  PSNR vs base {psnr_base}", flush=True)
    manifest = {"format": 1, "model": "../models/tiny-sd-diffusers", "onnx_model": "../models/tiny-sd",
                "prompt": PROMPT, "negative_prompt": "", **CASE,
                "files": {"a": {"kohya": "tiny_a_kohya.safetensors", "kohya_ldm": "tiny_a_kohya_ldm.safetensors",
                                "peft": "tiny_a_peft.safetensors", "diffusers_old": "tiny_a_diffusers_old.safetensors"},
                          "b": {"kohya": "tiny_b_kohya.safetensors"}},
                "keys": {"a": {"unet": len(a["unet"]), "text_encoder": len(a["text_encoder"])},
                         "b": {"unet": len(loras["b"]["unet"]), "text_encoder": len(loras["b"]["text_encoder"])}},
                "merged": {"file": "tiny_a_merged.safetensors", "lora": "a", "strength": 0.7},
                "diffusers_version": diffusers.__version__, "torch_version": torch.__version__.split("+")[0],
                "cases": entries}
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(entries)} cases in {time.time() - start:.1f}s")


if __name__ == "__main__":
    main()
