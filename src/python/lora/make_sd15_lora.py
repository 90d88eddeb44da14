#!/usr/bin/env python3
"""A random LoRA of the shape users download for SD1.5, for benchmarks (never committed: about 70 MB).

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/lora/make_sd15_lora.py \\
      CHECKPOINT.safetensors OUT.safetensors [--rank 32]

Reads only the header of an SD1.x single-file checkpoint and writes a kohya LoRA (fp16, alpha = rank / 2) for the
layers kohya's sd-scripts train by default: in each of the UNet's 16 transformer blocks the attention projections
(to_q, to_k, to_v, to_out.0) and feed-forward Linears, each block's proj_in and proj_out (1x1 convs in SD1.5), and in
the text encoder's 12 layers q/k/v/out_proj, fc1 and fc2: 192 UNet and 72 text-encoder keys. UNet keys carry the
original (LDM) names, lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q, as LyCORIS and A1111 write them.
"""
from __future__ import annotations

import argparse
import json
import re
import struct

import torch

from lsmodels.lora import Layer, save_kohya

UNET = "model.diffusion_model."
TEXT = "cond_stage_model.transformer."
UNET_LAYER = re.compile(r".*transformer_blocks\.\d+\.(attn[12]\.(to_q|to_k|to_v|to_out\.0)|ff\.net\.(0\.proj|2))\.weight$"
                        r"|.*\.(proj_in|proj_out)\.weight$")
TEXT_LAYER = re.compile(r".*layers\.\d+\.(self_attn\.(q|k|v|out)_proj|mlp\.fc[12])\.weight$")


def header(path: str) -> dict:
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--rank", type=int, default=32)
    args = ap.parse_args()
    g = torch.Generator().manual_seed(7)
    lora = {"unet": {}, "text_encoder": {}}
    for key, info in header(args.checkpoint).items():
        if key == "__metadata__":
            continue
        shape = info["shape"]
        if key.startswith(UNET) and UNET_LAYER.match(key):
            part, module = "unet", key[len(UNET):-len(".weight")]
        elif key.startswith(TEXT) and TEXT_LAYER.match(key):
            part, module = "text_encoder", key[len(TEXT):-len(".weight")]
        else:
            continue
        out, inp, kernel = shape[0], shape[1], tuple(shape[2:])
        down = (torch.randn((args.rank, inp) + kernel, generator=g) / inp ** 0.5).half()
        up = (torch.randn((out, args.rank) + ((1, 1) if kernel else ()), generator=g) * 0.01).half()
        lora[part][module] = Layer(down, up, args.rank / 2)
    # the UNet modules are already LDM names; kohya writes dots as underscores
    save_kohya(args.out, lora, ldm=lambda m: m, metadata={"ss_network_dim": str(args.rank)})
    print(f"{args.out}: {len(lora['unet'])} UNet and {len(lora['text_encoder'])} text-encoder layers, rank {args.rank}")


if __name__ == "__main__":
    main()
