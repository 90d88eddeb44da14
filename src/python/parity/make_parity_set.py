#!/usr/bin/env python3
"""Build the tiny SD1.5-shaped parity model set and its diffusers reference outputs.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/parity/make_parity_set.py

(The first two PYTHONPATH entries are the documented defaults for the safetensors shim and the unpacked
diffusers v0.30.3 / huggingface_hub sources; see src/python/README.md.)

Writes, under --resources (default: src/test/resources of this checkout):
  models/tiny-sd/       the model folder (UNet weights as ONNX external data, int64 timestep)
  models/tiny-sd-ts32/  same weights, UNet timestep float32 (keeps fractional Karras timesteps)
  models/tiny-sd-fp16/  same weights, every graph input/output float16 (UNet timestep too)
  parity/               cases.json, per-case latents (.npy) and images (.png), debugging tensors,
                        the img2img input image

Everything is seeded; re-running gives byte-identical files. See parity/README.md for the manifest.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time

import numpy as np
import torch
from PIL import Image, ImageDraw

from lsmodels import bpe_vocab, export, fp16_io, reference_pipeline
from lsmodels.samplers import SAMPLERS, make_scheduler
from lsmodels.text_encoder import CLIPLikeTextEncoder, TextEncoderConfig

MODEL_SEED = 1234
TEXT_WIDTH = 32

# The tiny vocabulary is learnt from these captions (and the case prompts below).
WORDS = """
a an the of on in with and or photo painting drawing sketch render picture image of
red green blue yellow orange purple black white grey pink brown cyan magenta gold silver
circle square triangle star ring cross line dot stripe grid wave spiral heart diamond hexagon
small large big tiny huge bright dark light soft sharp blurry smooth rough shiny matte
background foreground center left right top bottom corner edge middle
cat dog bird fish tree flower house mountain river lake sky cloud sun moon sea forest city
ugly bad worst low quality noisy jpeg artifacts watermark text deformed
beautiful detailed masterpiece best high resolution studio lighting colorful vivid
""".split()

BASE_PROMPT = "a red circle on a blue background"
CASE_DEFAULTS = dict(prompt=BASE_PROMPT, negative_prompt=None, steps=20, guidance_scale=7.5,
                     width=64, height=64, eta=0.0, strength=None, init_image=None)
INIT_IMAGE = "init_shapes.png"
MANIFEST_ORDER = ("name", "prompt", "negative_prompt", "seed", "steps", "guidance_scale", "sampler", "scheduler",
                  "width", "height", "eta", "strength", "init_image")


def cases():
    """The parity cases: (name, overrides). Seeds are 100 + index, so every case draws other noise."""
    c = []
    for s in SAMPLERS:  # every sampler on leading spacing (SD1.5's own)
        c.append((f"{s}_leading", dict(sampler=s, scheduler="leading")))
    for s in ("euler", "dpmpp_2m", "heun", "lms"):
        c.append((f"{s}_karras", dict(sampler=s, scheduler="karras")))
    for s, steps in (("euler", 20), ("dpmpp_2m", 10)):
        c.append((f"{s}_trailing", dict(sampler=s, scheduler="trailing", steps=steps)))
    c.append(("pndm_negative_prompt", dict(sampler="pndm", scheduler="leading",
                                           prompt="a beautiful yellow star in the sky, detailed",
                                           negative_prompt="ugly, blurry, low quality")))
    c.append(("euler_96x64", dict(sampler="euler", scheduler="leading", width=96, height=64,
                                  prompt="a green triangle and a white square")))
    c.append(("img2img_euler", dict(sampler="euler", scheduler="leading", strength=0.6, init_image=INIT_IMAGE,
                                    prompt="a painting of a cat in a forest")))
    c.append(("ddim_eta05", dict(sampler="ddim", scheduler="leading", eta=0.5, steps=15)))
    c.append(("euler_cfg1", dict(sampler="euler", scheduler="leading", guidance_scale=1.0)))
    out = []
    for i, (name, over) in enumerate(c):
        case = dict(CASE_DEFAULTS, name=name, seed=100 + i)
        case.update(over)
        out.append(case)
    return out


# ---------------------------------------------------------------------------------------------------
# Models


def build_vocab():
    texts = WORDS + [c["prompt"] for c in cases()] + [c["negative_prompt"] or "" for c in cases()]
    return bpe_vocab.build_vocab(texts)


def build_models(vocab_size: int):
    from diffusers import AutoencoderKL, UNet2DConditionModel

    torch.manual_seed(MODEL_SEED)
    text_encoder = CLIPLikeTextEncoder(TextEncoderConfig(vocab_size=vocab_size, hidden_size=TEXT_WIDTH,
                                                         num_hidden_layers=2, num_attention_heads=2))
    unet = UNet2DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(16, 32),
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=TEXT_WIDTH, attention_head_dim=2, norm_num_groups=8)
    vae = AutoencoderKL(
        in_channels=3, out_channels=3, latent_channels=4, layers_per_block=1, block_out_channels=(8, 8, 16, 16),
        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
        norm_num_groups=4, sample_size=64)
    for m in (text_encoder, unet, vae):
        m.eval()
    calibrate(text_encoder, unet, vae)
    return text_encoder, unet, vae


@torch.no_grad()
def calibrate(text_encoder, unet, vae) -> None:
    """Rescale output layers of the random nets so that sampling behaves like a trained model's:
    epsilon predictions of unit scale, a VAE posterior with a small variance (SD's logvar is very
    negative), and decoded images mostly inside [-1, 1] rather than clipped flat."""
    g = torch.Generator().manual_seed(MODEL_SEED + 1)
    ids = torch.randint(0, text_encoder.config.vocab_size - 2, (2, 77), generator=g)
    states = text_encoder(ids)[0]
    x = torch.randn(2, 4, 8, 8, generator=g)
    std = unet(x, torch.tensor(500), encoder_hidden_states=states).sample.std()
    unet.conv_out.weight.mul_(1.0 / std)
    unet.conv_out.bias.mul_(1.0 / std)

    c = vae.config.latent_channels
    vae.quant_conv.bias[c:].fill_(-6.0)  # logvar channels: posterior std ~ 0.05

    z = torch.randn(2, c, 8, 8, generator=g) / vae.config.scaling_factor
    std = vae.decode(z).sample.std()
    vae.decoder.conv_out.weight.mul_(0.5 / std)
    vae.decoder.conv_out.bias.mul_(0.5 / std)


@torch.no_grad()
def fit_latent_rgb(vae):
    """Least-squares 4x3 factors + bias from latents to the decoded image, averaged per 8x8 cell."""
    g = torch.Generator().manual_seed(MODEL_SEED + 2)
    z = torch.randn(8, 4, 8, 8, generator=g)
    img = vae.decode(z / vae.config.scaling_factor).sample  # [-1, 1]
    img = torch.nn.functional.avg_pool2d((img / 2 + 0.5).clamp(0, 1), 8)
    a = torch.cat([z.permute(0, 2, 3, 1).reshape(-1, 4), torch.ones(z.numel() // 4, 1)], dim=1).double()
    b = img.permute(0, 2, 3, 1).reshape(-1, 3).double()
    sol = torch.linalg.lstsq(a, b).solution
    return [[round(float(v), 6) for v in row] for row in sol[:4]], [round(float(v), 6) for v in sol[4]]


def export_all(models_dir: str, text_encoder, unet, vae, vocab, merges):
    base = os.path.join(models_dir, "tiny-sd")
    export.export_model_folder(base, text_encoder, unet, vae, vocab, merges, unet_external_data=True,
                               latent_rgb=fit_latent_rgb(vae))

    # float32 timestep: a fresh UNet export, everything else copied
    ts32 = os.path.join(models_dir, "tiny-sd-ts32")
    shutil.copytree(base, ts32, ignore=shutil.ignore_patterns("unet"))
    export.export_unet(unet, os.path.join(ts32, "unet", "model.onnx"), timestep_dtype=torch.float32)
    export.write_diffusers_config(unet, os.path.join(ts32, "unet"))

    # float16 IO everywhere; the UNet starts from the float32-timestep graph so the cast up is exact
    fp16 = os.path.join(models_dir, "tiny-sd-fp16")
    shutil.copytree(ts32, fp16)
    for part in ("text_encoder", "unet", "vae_decoder", "vae_encoder"):
        path = os.path.join(fp16, part, "model.onnx")
        fp16_io.convert_file(path, path, "float16", "float16" if part == "unet" else None)
    return [base, ts32, fp16]


# ---------------------------------------------------------------------------------------------------
# Reference data


def make_init_image(path: str) -> Image.Image:
    """A 64x64 RGB picture of simple shapes, the img2img input."""
    img = Image.new("RGB", (64, 64), (40, 60, 160))
    d = ImageDraw.Draw(img)
    d.ellipse((8, 8, 36, 36), fill=(220, 40, 40))
    d.rectangle((34, 30, 58, 56), fill=(240, 220, 60))
    d.polygon([(6, 58), (22, 40), (30, 60)], fill=(40, 200, 90))
    img.save(path, optimize=False)
    return Image.open(path).convert("RGB")


def save_npy(folder: str, name: str, t: torch.Tensor) -> str:
    np.save(os.path.join(folder, name), t.detach().to(torch.float32).numpy())
    return name


def token_ids(tokenizer, text):
    """Tokens up to and including the first EOS; the rest of the 77 is EOS padding."""
    ids = tokenizer(text or "")
    return ids[: ids.index(tokenizer.eos_token_id) + 1]


def run_cases(parity_dir: str, components, tokenizer, scheduler_config):
    init = make_init_image(os.path.join(parity_dir, INIT_IMAGE))
    entries = []
    for i, case in enumerate(cases()):
        t0 = time.time()
        kw = dict(negative_prompt=case["negative_prompt"], seed=case["seed"], steps=case["steps"],
                  guidance_scale=case["guidance_scale"], sampler=case["sampler"], schedule=case["scheduler"],
                  eta=case["eta"])
        if case["init_image"]:
            r = reference_pipeline.img2img(components, case["prompt"], init, strength=case["strength"], **kw)
        else:
            r = reference_pipeline.txt2img(components, case["prompt"], width=case["width"], height=case["height"], **kw)
        lat = r.latents
        if not torch.isfinite(lat).all():
            raise RuntimeError(f"{case['name']}: non-finite latents")
        pixels = np.asarray(r.image)
        if pixels.std() < 1.0:
            raise RuntimeError(f"{case['name']}: image is (nearly) constant")
        name = case["name"]
        entry = {k: case[k] for k in MANIFEST_ORDER}
        entry["latents"] = save_npy(parity_dir, f"{name}.latents.npy", lat)
        entry["image"] = f"{name}.png"
        r.image.save(os.path.join(parity_dir, entry["image"]), optimize=False)
        sched = make_scheduler(case["sampler"], case["scheduler"], scheduler_config)
        entry["scheduler_class"] = type(sched).__name__
        entry["prompt_ids"] = token_ids(tokenizer, case["prompt"])
        entry["negative_prompt_ids"] = token_ids(tokenizer, case["negative_prompt"]) if case["guidance_scale"] > 1 else None
        entry["latents_shape"] = list(lat.shape)
        entry["init_noise_sigma"] = r.init_noise_sigma
        entry["timesteps"] = [round(t, 6) for t in r.timesteps]
        entry["fractional_timesteps"] = any(t != int(t) for t in r.timesteps)
        debug = {}
        if i == 0:
            debug["noise"] = save_npy(parity_dir, f"{name}.noise.npy", r.init_noise)
            debug["initial_latents"] = save_npy(parity_dir, f"{name}.initial_latents.npy", r.initial_latents)
            debug["prompt_embeds"] = save_npy(parity_dir, f"{name}.prompt_embeds.npy", r.prompt_embeds)
        if case["init_image"]:
            debug["latent_parameters"] = save_npy(parity_dir, f"{name}.latent_parameters.npy", r.extra["latent_parameters"])
            debug["posterior_noise"] = save_npy(parity_dir, f"{name}.posterior_noise.npy", r.init_noise)
            debug["init_latents"] = save_npy(parity_dir, f"{name}.init_latents.npy", r.extra["init_latents"])
            debug["added_noise"] = save_npy(parity_dir, f"{name}.added_noise.npy", r.extra["added_noise"])
            debug["initial_latents"] = save_npy(parity_dir, f"{name}.initial_latents.npy", r.initial_latents)
        entry["debug"] = debug or None
        entries.append(entry)
        print(f"  {name:24s} {time.time() - t0:5.1f}s  latents std {float(lat.std()):.3f}  "
              f"image mean {pixels.mean():6.1f} std {pixels.std():5.1f}", flush=True)
    return entries


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    default_resources = os.path.normpath(os.path.join(here, "..", "..", "test", "resources"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resources", default=default_resources, help="output root (default: %(default)s)")
    args = ap.parse_args(argv)

    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    start = time.time()
    import diffusers

    models_dir = os.path.join(args.resources, "models")
    parity_dir = os.path.join(args.resources, "parity")
    for d in ("tiny-sd", "tiny-sd-ts32", "tiny-sd-fp16"):
        shutil.rmtree(os.path.join(models_dir, d), ignore_errors=True)
    shutil.rmtree(parity_dir, ignore_errors=True)
    os.makedirs(parity_dir)

    vocab, merges = build_vocab()
    tokenizer = bpe_vocab.Tokenizer(vocab, merges)
    for w in WORDS:  # every vocabulary word must be one token
        if len(tokenizer.encode(w)) != 1:
            raise RuntimeError(f"word {w!r} is not a single token: {tokenizer.tokenize(w)}")
    text_encoder, unet, vae = build_models(len(vocab))
    print(f"vocab {len(vocab)} tokens ({len(merges)} merges); exporting models", flush=True)
    folders = export_all(models_dir, text_encoder, unet, vae, vocab, merges)
    for folder in folders:
        for part in ("text_encoder", "unet", "vae_decoder", "vae_encoder"):
            print(f"{os.path.relpath(folder, args.resources)}/{part}/model.onnx")
            print("  " + export.describe(os.path.join(folder, part, "model.onnx")).replace("\n", "\n  "))

    print("reference cases", flush=True)
    config = export.SD15_SCHEDULER_CONFIG
    components = reference_pipeline.Components(tokenizer, text_encoder, unet, vae, config)
    entries = run_cases(parity_dir, components, tokenizer, config)
    manifest = {
        "format": 1,
        "model": "../models/tiny-sd",
        "model_variants": {"int64_timestep": "../models/tiny-sd", "float32_timestep": "../models/tiny-sd-ts32",
                           "float16_io": "../models/tiny-sd-fp16"},
        "diffusers_version": diffusers.__version__,
        "torch_version": torch.__version__.split("+")[0],
        "generator": "torch.Generator('cpu').manual_seed(seed), shared by all draws of one case",
        "out_of_scope": [
            "prompts longer than 75 tokens: diffusers truncates them to 77 tokens (BOS + 75 + EOS), so there "
            "is no diffusers reference for the concatenated-chunk form",
        ],
        "cases": entries,
    }
    text = json.dumps(manifest, indent=1)
    # keep number lists (ids, timesteps, shapes) on one line each
    text = re.sub(r"\[\s*([-0-9.e,\s]+?)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(os.path.join(parity_dir, "cases.json"), "w") as f:
        f.write(text + "\n")
    print(f"{len(entries)} cases in {time.time() - start:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
