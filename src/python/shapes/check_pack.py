"""Checks the shapes pack's two layouts against each other: the torch modules loaded from its safetensors
(pack_weights) and its ONNX graphs (run with lsmodels.onnx_eval, as onnxruntime is not available here).

1. Each graph against its torch module, on several inputs whose batch, size, text length and timestep
   differ from the export's trace: the largest absolute difference.
2. Whole pictures: lsmodels.reference_pipeline (diffusers' txt2img loop, Euler, 20 steps, cfg 5, 64x64)
   once over the torch modules and once over the ONNX graphs, same prompts and seeds: the largest pixel
   difference and the latents' largest difference.
3. diffusers itself reads unet/ and vae/ (from_pretrained) to the same tensors.

    source env.sh && $PY check_pack.py [--pack DIR] [--pictures 4]
"""
from __future__ import annotations

import argparse
import os
from types import SimpleNamespace

import numpy as np
import onnx
import torch

import common
import pack_weights
from lsmodels import onnx_eval
from lsmodels import reference_pipeline as rp

GRAPHS = ("text_encoder", "unet", "vae_decoder", "vae_encoder")
PROMPTS = ("a small red circle on the left, white background", "a large yellow star in the center, black background",
           "a green triangle at the top and a white ring at the bottom, gray background", "a purple square on the right",
           "a circle")


def load_graphs(pack: str) -> dict:
    return {g: onnx.load(os.path.join(pack, g, "model.onnx")) for g in GRAPHS}


@torch.no_grad()
def graph_differences(graphs: dict, c: rp.Components, seeds=(0, 1, 2)) -> dict:
    """max |torch module - ONNX graph| per graph over len(seeds) inputs, none of them the trace's shapes."""
    worst = dict.fromkeys(GRAPHS, 0.0)

    def note(name, got, want):
        worst[name] = max(worst[name], float(np.abs(got - want.numpy()).max()))

    for seed in seeds:
        g = torch.Generator().manual_seed(seed)
        ids = torch.tensor([c.tokenizer(p) for p in (PROMPTS + ("",))[seed:seed + 2 + seed % 2]], dtype=torch.int32)
        got = onnx_eval.run(graphs["text_encoder"], {"input_ids": ids.numpy()})
        hidden, pooled = c.text_encoder(ids.long())
        note("text_encoder", got["last_hidden_state"], hidden)
        note("text_encoder", got["pooler_output"], pooled)
        b, h, w = 1 + seed, 8 * (1 + seed % 2), 8 + 8 * seed
        sample = torch.randn(b, 4, h, w, generator=g)
        states = torch.randn(b, 77 * (1 + seed % 2), c.unet.config.cross_attention_dim, generator=g)
        t = torch.tensor([float(torch.randint(0, 1000, (1,), generator=g)) + 0.25 * seed])  # fractional too
        got = onnx_eval.run(graphs["unet"], {"sample": sample.numpy(), "timestep": t.numpy(),
                                             "encoder_hidden_states": states.numpy()})
        note("unet", got["out_sample"], c.unet(sample, t, states).sample)
        latents = torch.randn(b, 4, h, w, generator=g) / c.vae.config.scaling_factor
        note("vae_decoder", onnx_eval.run(graphs["vae_decoder"], {"latent_sample": latents.numpy()})["sample"],
             c.vae.decode(latents).sample)
        image = torch.rand(b, 3, 8 * h, 8 * w, generator=g) * 2 - 1
        note("vae_encoder", onnx_eval.run(graphs["vae_encoder"], {"sample": image.numpy()})["latent_parameters"],
             c.vae.encode(image).latent_dist.parameters)
    return worst


class _OnnxTextEncoder:
    def __init__(self, graph):
        self.graph = graph

    def __call__(self, ids):
        out = onnx_eval.run(self.graph, {"input_ids": ids.to(torch.int32).numpy()})
        return torch.from_numpy(out["last_hidden_state"]), torch.from_numpy(out["pooler_output"])


class _OnnxUNet:
    def __init__(self, graph, config):
        self.graph, self.config = graph, config

    def __call__(self, sample, t, encoder_hidden_states, return_dict=False):
        feeds = {"sample": sample.numpy(), "timestep": np.array([float(t)], np.float32),
                 "encoder_hidden_states": encoder_hidden_states.numpy()}
        return (torch.from_numpy(onnx_eval.run(self.graph, feeds)["out_sample"]),)


class _OnnxVae:
    def __init__(self, decoder, config):
        self.decoder, self.config = decoder, config

    def decode(self, latents, return_dict=False):
        return (torch.from_numpy(onnx_eval.run(self.decoder, {"latent_sample": latents.numpy()})["sample"]),)


def onnx_components(graphs: dict, c: rp.Components) -> rp.Components:
    """The pipeline's components over the ONNX graphs; configs (sizes, scaling factor) from the torch side."""
    return rp.Components(c.tokenizer, _OnnxTextEncoder(graphs["text_encoder"]),
                         _OnnxUNet(graphs["unet"], c.unet.config), _OnnxVae(graphs["vae_decoder"], c.vae.config),
                         c.scheduler_config)


def picture_differences(graphs: dict, c: rp.Components, n: int):
    """(prompt, seed, max pixel difference 0-255, max latent difference) for n prompts, txt2img both ways."""
    rows = []
    over_onnx = onnx_components(graphs, c)
    for i, prompt in enumerate(PROMPTS[:n]):
        runs = [rp.txt2img(comp, prompt, seed=i, steps=20, guidance_scale=5.0, sampler="euler", width=64, height=64)
                for comp in (c, over_onnx)]
        a, b = (np.asarray(r.image.convert("RGB")).astype(int) for r in runs)
        rows.append((prompt, i, int(np.abs(a - b).max()), float((runs[0].latents - runs[1].latents).abs().max())))
    return rows


def diffusers_reads_folder(pack: str, c: rp.Components) -> bool:
    """diffusers' own from_pretrained gives the tensors pack_weights loaded."""
    import diffusers.utils.import_utils as iu
    from diffusers import AutoencoderKL, UNet2DConditionModel
    iu._safetensors_available = True  # the pure-Python shim has no package metadata for diffusers to find
    same = True
    for cls, name, mine in ((UNet2DConditionModel, "unet", c.unet), (AutoencoderKL, "vae", c.vae)):
        theirs = cls.from_pretrained(pack, subfolder=name, use_safetensors=True).state_dict()
        same &= theirs.keys() == mine.state_dict().keys() and all(
            torch.equal(theirs[k], v) for k, v in mine.state_dict().items())
    return same


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", default=common.PACK)
    ap.add_argument("--pictures", type=int, default=4, help="prompts to draw both ways (0-5)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    c = pack_weights.load_pack(args.pack)
    graphs = load_graphs(args.pack)
    for name, diff in graph_differences(graphs, c).items():
        print(f"{name}: max |torch - ONNX| = {diff:.2e}", flush=True)
    for prompt, seed, pixels, latents in picture_differences(graphs, c, args.pictures):
        print(f"'{prompt}' seed {seed}: max pixel difference {pixels}/255, latents {latents:.2e}", flush=True)
    print("diffusers from_pretrained reads unet/ and vae/ to the same tensors:", diffusers_reads_folder(args.pack, c))


if __name__ == "__main__":
    main()
