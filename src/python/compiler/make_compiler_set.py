#!/usr/bin/env python3
"""Tiny SD1.x checkpoints in every file form users have, and diffusers v0.30.3 references for them.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/compiler/make_compiler_set.py

Test data for the Java weight readers and ONNX graph compiler (issue 9). Writes, under --out (default
src/test/resources/compiler of this checkout; see its README.md for every file and manifest field):

  <m>/diffusers/       diffusers folder (model_index.json, scheduler, tokenizer, text_encoder, unet, vae)
  <m>/<m>.safetensors  single-file original (LDM) checkpoint, fp32; <m>-fp16 / -bf16 the same rounded
  a/a-fp16.ckpt        a's single-file state dict (fp16 weights, fp32 buffers) as a torch zip-pickle checkpoint
  <m>/ref/             per-component inputs and outputs (float32 .npy)
  cases/               end-to-end txt2img / img2img references (latents .npy, images .png)
  fixtures/            evil.ckpt (pickle that calls posix.system), legacy.ckpt (pre-zip torch format)
  manifest.json

Every single file is checked here, before anything is written from it: diffusers' own
single_file_utils conversions applied to the file's tensors must give back the diffusers state dicts
bit for bit. Everything is seeded; a re-run on the same machine gives byte-identical files (110 s of CPU;
6 min wall on the shared 2-core machine at load 12).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np
import torch
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
sys.path.insert(0, os.path.join(HERE, ".."))

import make_parity_set as mps  # noqa: E402  (the parity set's word list, calibration and case helpers)
from compiler import checkpoint_files as cf, ldm_format, sd15  # noqa: E402
from lsmodels import bpe_vocab, diffusers_folder, diffusers_patches, export, reference_pipeline  # noqa: E402
from lsmodels import text_encoder as te  # noqa: E402
from lsmodels.samplers import make_scheduler  # noqa: E402

POSITION_IDS = te.TRANSFORMERS_IGNORED[0]  # text_model.embeddings.position_ids
ST_METADATA = {"format": "pt"}
# __metadata__ of single files: none on most (as files converted from .ckpt), a modelspec block on one
SINGLE_FILE_METADATA = {"a/a.safetensors": {"format": "pt", "modelspec.architecture": "stable-diffusion-v1",
                                            "modelspec.title": "Latent Studio tiny test model a",
                                            "modelspec.sai_model_spec": "1.0.0"}}
GENERATED = ("a", "b", "c", "d", "cases", "fixtures", "manifest.json")  # what a run replaces under --out  # what diffusers' and transformers' save_pretrained put in __metadata__
FLOAT_DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
REFERENCE_TIMESTEPS = (981.0, 500.5)  # SD1.5 leading spacing's first step, and a fractional (Karras-like) one
# Config values a loader can read off a single file's tensors; with no config, everything else is SD1.5's
SHAPE_DERIVED = {
    "unet": ["in_channels", "out_channels", "block_out_channels", "layers_per_block", "down_block_types",
             "up_block_types", "cross_attention_dim", "use_linear_projection (proj_in weight 2-D, not 1x1 conv)"],
    "vae": ["in_channels", "out_channels", "latent_channels", "block_out_channels", "layers_per_block",
            "down_block_types", "up_block_types"],
    "text_encoder": ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "max_position_embeddings"],
}
CLIP_SKIP_NOTE = ("clip_skip_2: diffusers' encode_prompt(clip_skip=1): hidden_states[-2] (the output of "
                  "the second-to-last encoder layer, before any final LayerNorm) passed through "
                  "text_model.final_layer_norm; A1111's 'Clip skip 2', ComfyUI's CLIPSetLastLayer -2")


# ---------------------------------------------------------------------------------------------------
# The models


@dataclass
class Model:
    name: str
    summary: str
    seed: int
    text_encoder: te.CLIPLikeTextEncoder
    unet: torch.nn.Module
    vae: torch.nn.Module
    vocab: dict
    merges: list
    tokenizer_source: str  # the tokenizer folder (relative to --out), or "clip": the real CLIP vocabulary
    pipeline_class: str = "StableDiffusionPipeline"
    sd15_defaults: bool = False  # loads with no config: every non-shape value is SD1.5's
    latent_hw: tuple = (8, 8)  # component reference latent size
    forms: List["Form"] = field(default_factory=list)

    @property
    def vae_scale_factor(self) -> int:
        return 2 ** (len(self.vae.config.block_out_channels) - 1)

    @property
    def tokenizer(self) -> bpe_vocab.Tokenizer:
        return bpe_vocab.Tokenizer(self.vocab, self.merges)


@dataclass
class Form:
    name: str  # diffusers, diffusers_fp16, single, single_fp16, single_bf16, ckpt
    kind: str  # diffusers, single_file, ckpt
    weights: str  # fp32, fp16, bf16: which rounding of the weights the file holds
    path: str  # relative to the output folder
    config: Optional[str]  # diffusers folder whose configs a single file uses; None: SD1.5's (or a diffusers form)
    variant: Optional[str] = None  # diffusers variant ("fp16" -> *.fp16.safetensors)
    model_ema: bool = False
    fp32_buffers: bool = False  # the noise-schedule and EMA buffers stay float32 when the weights are rounded
    files: List[str] = field(default_factory=list)


def unet_from_config(config: dict):
    from diffusers import UNet2DConditionModel
    return UNet2DConditionModel.from_config(config).eval()


def vae_from_config(config: dict):
    from diffusers import AutoencoderKL
    return AutoencoderKL.from_config(config).eval()


def own_vocab(prompts, max_merges=None):
    return bpe_vocab.build_vocab(mps.WORDS + list(prompts), max_merges)


def build_a() -> Model:
    vocab, merges = own_vocab(PROMPTS["a"])
    torch.manual_seed(2101)
    text = te.CLIPLikeTextEncoder(te.TextEncoderConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                                                       num_attention_heads=2, hidden_act="quick_gelu"))
    unet = unet_from_config(dict(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=[16, 24],
        down_block_types=["CrossAttnDownBlock2D", "DownBlock2D"], up_block_types=["UpBlock2D", "CrossAttnUpBlock2D"],
        cross_attention_dim=32, attention_head_dim=2, norm_num_groups=8, norm_eps=1e-5))
    vae = vae_from_config(dict(
        in_channels=3, out_channels=3, latent_channels=4, layers_per_block=1, block_out_channels=[8, 16],
        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
        norm_num_groups=4, sample_size=16, scaling_factor=0.18215))
    text.eval()
    mps.calibrate(text, unet, vae)
    return Model("a", "2 UNet levels (16, 24), 1 layer per block, attention_head_dim 2 (int), cross 32, 8 norm "
                 f"groups; text width 32, 2 layers, 2 heads, quick_gelu, own {len(vocab)}-token vocabulary; VAE 2 levels (x2)",
                 2101, text, unet, vae, vocab, merges, "a/diffusers/tokenizer", latent_hw=(8, 12))


def build_b() -> Model:
    vocab, merges = own_vocab(PROMPTS["b"], max_merges=200)  # some words take several tokens
    torch.manual_seed(2102)
    text = te.CLIPLikeTextEncoder(te.TextEncoderConfig(vocab_size=len(vocab), hidden_size=48, num_hidden_layers=3,
                                                       num_attention_heads=3, intermediate_size=128,
                                                       hidden_act="gelu"))
    unet = unet_from_config(dict(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=[8, 16, 16],
        down_block_types=["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
        up_block_types=["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
        cross_attention_dim=48, attention_head_dim=[2, 4, 4], norm_num_groups=4, norm_eps=1e-6,
        use_linear_projection=True, upcast_attention=True))
    vae = vae_from_config(dict(
        in_channels=3, out_channels=3, latent_channels=4, layers_per_block=2, block_out_channels=[8, 16, 16],
        down_block_types=["DownEncoderBlock2D"] * 3, up_block_types=["UpDecoderBlock2D"] * 3,
        norm_num_groups=8, sample_size=32, scaling_factor=0.25))
    text.eval()
    mps.calibrate(text, unet, vae)
    return Model("b", "3 UNet levels (8, 16, 16), 2 layers per block, attention_head_dim [2, 4, 4] (list), cross 48, "
                 "linear projections, upcast_attention, 4 norm groups, eps 1e-6; text width 48, 3 layers, 3 heads, "
                 f"intermediate 128, gelu, own {len(vocab)}-token vocabulary (200 merges); VAE 3 levels (x4), "
                 "scaling_factor 0.25",
                 2102, text, unet, vae, vocab, merges, "b/diffusers/tokenizer", latent_hw=(8, 12))


def build_c(clip_tokenizer: str) -> Model:
    vocab, merges = bpe_vocab.read_vocab(clip_tokenizer)
    torch.manual_seed(2103)
    text = te.CLIPLikeTextEncoder(te.TextEncoderConfig(**sd15.text_encoder(
        vocab_size=len(vocab), hidden_size=24, intermediate_size=96, num_hidden_layers=2)))
    unet = unet_from_config(sd15.unet(block_out_channels=[32, 32, 32, 32], layers_per_block=1,
                                      cross_attention_dim=24, sample_size=8))
    vae = vae_from_config(sd15.vae(block_out_channels=[32, 32, 32, 32], layers_per_block=1, sample_size=64))
    text.eval()
    mps.calibrate(text, unet, vae)
    return Model("c", "SD1.5's config except the sizes the tensors show: 4 UNet levels (32 x4), CrossAttnDown x3 + "
                 "Down, 1 layer per block, 8 heads, 32 norm groups; text width 24, 2 layers, 12 heads, quick_gelu, the "
                 "real 49408-token CLIP vocabulary; VAE 4 levels (x8), 32 groups, scaling_factor 0.18215",
                 2103, text, unet, vae, vocab, merges, "clip", sd15_defaults=True,
                 # 16x16 latents: at 8x16 the lowest level is 1x2 and GroupNorm with one channel per group normalises
                 # two values, where float32 itself (torch against float64) drifts by up to 1e-4 of the output
                 latent_hw=(16, 16))


@torch.no_grad()
def build_d(a: Model) -> Model:
    """a's weights with a 9-channel conv_in (latents, mask, masked-image latents), as inpainting fine-tunes have."""
    config = dict(a.unet.config)
    config["in_channels"] = 9
    unet = unet_from_config(config)
    unet.load_state_dict({k: v for k, v in a.unet.state_dict().items() if not k.startswith("conv_in.weight")},
                         strict=False)
    g = torch.Generator().manual_seed(2104)
    w = a.unet.conv_in.weight
    extra = torch.randn(w.shape[0], 5, *w.shape[2:], generator=g) * w.std()
    unet.conv_in.weight.copy_(torch.cat([w, extra], dim=1))
    return Model("d", "a with a 9-channel inpainting UNet (conv_in takes latents, mask and masked-image latents); "
                 "text encoder and VAE are a's", 2104, a.text_encoder, unet, a.vae, a.vocab, a.merges,
                 "d/config/tokenizer",
                 pipeline_class="StableDiffusionInpaintPipeline", latent_hw=(8, 12))


def parameter_count(m: torch.nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


# ---------------------------------------------------------------------------------------------------
# State dicts and files


def diffusers_state_dicts(m: Model) -> Dict[str, Dict[str, torch.Tensor]]:
    """The component state dicts as diffusers folders store them (text encoder with transformers' names)."""
    return {"unet": {k: v.clone() for k, v in m.unet.state_dict().items()},
            "vae": {k: v.clone() for k, v in m.vae.state_dict().items()},
            "text_encoder": te.transformers_state_dict(m.text_encoder, position_ids=True)}


def ldm_state_dict(m: Model, sds) -> Dict[str, torch.Tensor]:
    """The single-file checkpoint's tensors, with the extra keys real SD1.x files carry."""
    out = ldm_format.to_ldm(sds["unet"], dict(m.unet.config), sds["vae"], dict(m.vae.config), sds["text_encoder"])
    out.update(ldm_format.noise_schedule_buffers())
    out.update(ldm_format.ema_scalars())
    return out


@torch.no_grad()
def ema_copy(m: Model, ldm: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """model_ema.* shadow weights that differ from the model's (x 0.9 + noise), so a loader that read them
    instead of model.diffusion_model.* would fail the references."""
    g = torch.Generator().manual_seed(m.seed + 50)
    unet = {k: v for k, v in ldm.items() if k.startswith(ldm_format.UNET_PREFIX)}
    return {k: v * 0.9 + 0.01 * torch.randn(v.shape, generator=g) for k, v in ldm_format.ema_keys(unet).items()}


def cast_weights(ldm: Dict[str, torch.Tensor], dtype, fp32_buffers: bool) -> Dict[str, torch.Tensor]:
    """Round the floating tensors to ``dtype``; with ``fp32_buffers`` only the three models' weights, as
    the "pruned fp16" scripts do, so that one file holds Half, Float, Long and Int storages."""
    if not fp32_buffers:
        return cf.cast_floats(ldm, dtype)
    models = (ldm_format.UNET_PREFIX, ldm_format.VAE_PREFIX, ldm_format.CLIP_PREFIX)
    return {k: v.to(dtype) if v.is_floating_point() and k.startswith(models) else v for k, v in ldm.items()}


def verify_single_file(path: str, m: Model, sds, dtype: torch.dtype, log) -> None:
    """Read ``path`` back (strictly, and through diffusers' load_single_file_checkpoint), convert it with
    diffusers' single_file_utils and demand the diffusers state dicts back bit for bit."""
    from diffusers.loaders.single_file_utils import infer_diffusers_model_type, load_single_file_checkpoint
    if path.endswith(".safetensors"):
        cf.read_safetensors(path)  # header and offsets are sound
    checkpoint = load_single_file_checkpoint(path)
    kind = infer_diffusers_model_type(checkpoint)
    want_kind = "inpainting" if m.unet.config.in_channels == 9 else "v1"
    if kind != want_kind:
        raise AssertionError(f"{path}: diffusers takes it for {kind!r}, not {want_kind!r}")
    unet, vae, clip = ldm_format.from_ldm(checkpoint, dict(m.unet.config), dict(m.vae.config))
    log(f"  verify {os.path.basename(path)} with diffusers {_diffusers_version()} single_file_utils "
        f"(model type {kind!r}):")
    for name, got in (("convert_ldm_unet_checkpoint", unet), ("convert_ldm_vae_checkpoint", vae),
                      ("convert_ldm_clip_checkpoint", clip)):
        part = {"convert_ldm_unet_checkpoint": "unet", "convert_ldm_vae_checkpoint": "vae"}.get(name, "text_encoder")
        log("    " + ldm_format.compare_state_dicts(name, got, sds[part], dtype))


def _diffusers_version():
    import diffusers
    return diffusers.__version__


def write_diffusers_folder(folder: str, m: Model, sds, variants=(None,), weights=True) -> List[str]:
    """model_index, scheduler, tokenizer and the three components' config.json (+ weights per variant)."""
    os.makedirs(folder, exist_ok=True)
    export._write_json(os.path.join(folder, "model_index.json"),
                       dict(diffusers_folder.MODEL_INDEX, _class_name=m.pipeline_class))
    export.write_scheduler_config(os.path.join(folder, "scheduler"), sd15.SCHEDULER)
    export.write_tokenizer(os.path.join(folder, "tokenizer"), m.vocab, m.merges)
    tok = m.tokenizer
    te.write_config(os.path.join(folder, "text_encoder"), m.text_encoder.config, tok.bos_token_id, tok.eos_token_id)
    export.write_diffusers_config(m.unet, os.path.join(folder, "unet"))
    export.write_diffusers_config(m.vae, os.path.join(folder, "vae"))
    if weights:
        for variant in variants:
            dtype = torch.float16 if variant == "fp16" else torch.float32
            infix = f".{variant}" if variant else ""
            for part, stem in (("text_encoder", "model"), ("unet", "diffusion_pytorch_model"),
                               ("vae", "diffusion_pytorch_model")):
                cf.write_safetensors(os.path.join(folder, part, f"{stem}{infix}.safetensors"),
                                     cf.cast_floats(sds[part], dtype), ST_METADATA)
    return sorted(os.path.relpath(os.path.join(r, f), folder) for r, _, fs in os.walk(folder) for f in fs)


@torch.no_grad()
def modules_with_weights(m: Model, weights: str):
    """(text_encoder, unet, vae) computing in float32 with the weights rounded to ``weights``' dtype."""
    if weights == "fp32":
        return m.text_encoder, m.unet, m.vae
    dtype = FLOAT_DTYPES[weights]
    out = []
    for mod in (m.text_encoder, m.unet, m.vae):
        c = copy.deepcopy(mod)
        for p in c.parameters():
            p.copy_(p.to(dtype).to(torch.float32))
        out.append(c.eval())
    return tuple(out)


# ---------------------------------------------------------------------------------------------------
# Component references


def picture(width: int, height: int) -> Image.Image:
    """Simple shapes at any size (the img2img and VAE-encoder input)."""
    img = Image.new("RGB", (width, height), (40, 60, 160))
    d = ImageDraw.Draw(img)
    w, h = width - 1, height - 1
    d.ellipse((0.12 * w, 0.12 * h, 0.56 * w, 0.56 * h), fill=(220, 40, 40))
    d.rectangle((0.53 * w, 0.47 * h, 0.9 * w, 0.88 * h), fill=(240, 220, 60))
    d.polygon([(0.1 * w, 0.9 * h), (0.34 * w, 0.62 * h), (0.47 * w, 0.94 * h)], fill=(40, 200, 90))
    return img


def save_npy(out: str, rel: str, t) -> str:
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    np.save(path, a if a.dtype == np.int64 else a.astype(np.float32))
    return rel


@torch.no_grad()
def component_inputs(out: str, m: Model) -> dict:
    g = torch.Generator().manual_seed(m.seed + 10)
    tok = m.tokenizer
    prompts = [COMPONENT_PROMPTS[m.name], ""]
    ids = torch.tensor([tok(p) for p in prompts], dtype=torch.int64)
    h, w = m.latent_hw
    f = m.vae_scale_factor
    cross = m.unet.config.cross_attention_dim
    unet_cases = []
    for i, t in enumerate(REFERENCE_TIMESTEPS):
        unet_cases.append({
            "name": f"t{t:g}".replace(".", "_"),
            "sample": save_npy(out, f"{m.name}/ref/unet.{i}.sample.npy",
                               torch.randn(2, m.unet.config.in_channels, h, w, generator=g)),
            "timestep": t,
            "encoder_hidden_states": save_npy(out, f"{m.name}/ref/unet.{i}.encoder_hidden_states.npy",
                                              torch.randn(2, 77, cross, generator=g)),
        })
    z = torch.randn(1, m.vae.config.latent_channels, h, w, generator=g) / m.vae.config.scaling_factor
    pixels = np.asarray(picture(w * f, h * f), dtype=np.float32) / 127.5 - 1.0
    image = torch.from_numpy(pixels).permute(2, 0, 1)[None].contiguous()
    return {
        "text_encoder": {"prompts": prompts,
                         "input_ids": save_npy(out, f"{m.name}/ref/text_encoder.input_ids.npy", ids)},
        "unet": unet_cases,
        "vae_decoder": {"latent_sample": save_npy(out, f"{m.name}/ref/vae_decoder.latent_sample.npy", z)},
        "vae_encoder": {"sample": save_npy(out, f"{m.name}/ref/vae_encoder.sample.npy", image)},
    }


@torch.no_grad()
def component_outputs(out: str, m: Model, inputs: dict, weights: str) -> dict:
    text, unet, vae = modules_with_weights(m, weights)
    p = f"{m.name}/ref"
    ids = torch.from_numpy(np.load(os.path.join(out, inputs["text_encoder"]["input_ids"])))
    last, pooled, hidden = text(ids, output_hidden_states=True)
    skip2 = text.final_layer_norm(hidden[-2])
    res = {"text_encoder": {
        "last_hidden_state": save_npy(out, f"{p}/text_encoder.last_hidden_state.{weights}.npy", last),
        "pooler_output": save_npy(out, f"{p}/text_encoder.pooler_output.{weights}.npy", pooled),
        "clip_skip_2": save_npy(out, f"{p}/text_encoder.clip_skip_2.{weights}.npy", skip2)}}
    res["unet"] = []
    for i, c in enumerate(inputs["unet"]):
        sample = torch.from_numpy(np.load(os.path.join(out, c["sample"])))
        states = torch.from_numpy(np.load(os.path.join(out, c["encoder_hidden_states"])))
        y = unet(sample, torch.tensor(c["timestep"], dtype=torch.float32), encoder_hidden_states=states).sample
        res["unet"].append({"out_sample": save_npy(out, f"{p}/unet.{i}.out_sample.{weights}.npy", y)})
    z = torch.from_numpy(np.load(os.path.join(out, inputs["vae_decoder"]["latent_sample"])))
    res["vae_decoder"] = {"sample": save_npy(out, f"{p}/vae_decoder.sample.{weights}.npy", vae.decode(z).sample)}
    x = torch.from_numpy(np.load(os.path.join(out, inputs["vae_encoder"]["sample"])))
    moments = vae.encode(x).latent_dist.parameters
    res["vae_encoder"] = {"latent_parameters": save_npy(out, f"{p}/vae_encoder.latent_parameters.{weights}.npy",
                                                        moments)}
    for part in res.values():
        for v in (part if isinstance(part, list) else [part]):
            for rel in v.values():
                if not np.isfinite(np.load(os.path.join(out, rel))).all():
                    raise RuntimeError(f"{rel}: non-finite reference")
    return res


# ---------------------------------------------------------------------------------------------------
# End-to-end cases

PROMPTS = {
    "a": ["a red circle on a blue background", "a painting of a cat in a forest", "a yellow star in the sky",
          "ugly, blurry, low quality", "a green triangle and a white square"],
    "b": ["a blue square on a white background", "a photo of a dog by the lake", "a bright orange sun over the sea",
          "a drawing of a tree"],
    "c": [],
}
COMPONENT_PROMPTS = {"a": "a red circle on a blue background", "b": "a photo of a dog by the lake",
                     "c": "a photograph of an astronaut riding a horse", "d": "a red circle on a blue background"}

# (model, form, sampler, steps, latent h, w, prompt, negative, img2img strength or None)
CASES = [
    ("a", "diffusers", "euler", 16, 8, 8, "a red circle on a blue background", None, None),
    ("a", "diffusers", "dpmpp_2m", 12, 8, 12, "a painting of a cat in a forest", None, 0.6),
    ("a", "diffusers_fp16", "dpmpp_2m", 12, 8, 8, "a yellow star in the sky", None, None),
    ("a", "single", "dpmpp_2m", 14, 8, 8, "a yellow star in the sky", "ugly, blurry, low quality", None),
    ("a", "single_fp16", "euler", 14, 8, 12, "a green triangle and a white square", None, None),
    ("a", "single_fp16", "euler", 14, 8, 12, "a painting of a cat in a forest", None, 0.7),
    ("a", "ckpt", "euler", 12, 8, 8, "a green triangle and a white square", None, None),
    ("b", "diffusers", "dpmpp_2m", 14, 8, 12, "a blue square on a white background", None, None),
    ("b", "single", "euler", 16, 8, 8, "a photo of a dog by the lake", None, None),
    ("b", "single", "dpmpp_2m", 12, 8, 8, "a drawing of a tree", None, 0.6),
    ("b", "single_fp16", "dpmpp_2m", 12, 8, 8, "a bright orange sun over the sea", None, None),
    ("b", "single_fp16", "euler", 12, 8, 12, "a blue square on a white background", None, 0.7),
    ("c", "single_fp16", "euler", 16, 8, 8, "a photograph of an astronaut riding a horse", None, None),
    ("c", "single_fp16", "dpmpp_2m", 12, 16, 16, "a watercolor of a lighthouse at dusk",
     "blurry, low quality", None),
    ("c", "single_fp16", "euler", 12, 8, 8, "an oil painting of a red barn", None, 0.6),
]
E2E_ORDER = ("name", "model", "form", "checkpoint", "config", "weights", "vae_scale_factor") + mps.MANIFEST_ORDER[1:]


def run_cases(out: str, models: Dict[str, Model], log) -> list:
    entries = []
    for i, (mname, fname, sampler, steps, lh, lw, prompt, negative, strength) in enumerate(CASES):
        t0 = time.time()
        m = models[mname]
        form = next(f for f in m.forms if f.name == fname)
        f = m.vae_scale_factor
        text, unet, vae = modules_with_weights(m, form.weights)
        comp = reference_pipeline.Components(m.tokenizer, text, unet, vae, sd15.SCHEDULER)
        kind = "img2img" if strength else "txt2img"
        name = f"{mname}_{fname}_{kind}_{sampler}"
        seed = 300 + i
        kw = dict(negative_prompt=negative, seed=seed, steps=steps, guidance_scale=7.5, sampler=sampler,
                  schedule="leading", eta=0.0)
        init_name = None
        if strength:
            init_name = f"cases/{mname}_init_{lw * f}x{lh * f}.png"
            path = os.path.join(out, init_name)
            if not os.path.exists(path):
                picture(lw * f, lh * f).save(path, optimize=False)
            r = reference_pipeline.img2img(comp, prompt, Image.open(path).convert("RGB"), strength=strength, **kw)
        else:
            r = reference_pipeline.txt2img(comp, prompt, width=lw * f, height=lh * f, **kw)
        lat = r.latents
        pixels = np.asarray(r.image)
        if not torch.isfinite(lat).all() or pixels.std() < 1.0:
            raise RuntimeError(f"{name}: non-finite latents or a (nearly) constant image")
        entry = {"name": name, "model": mname, "form": fname, "checkpoint": form.path, "config": form.config,
                 "weights": form.weights, "vae_scale_factor": f, "prompt": prompt, "negative_prompt": negative,
                 "seed": seed, "steps": steps, "guidance_scale": 7.5, "sampler": sampler, "scheduler": "leading",
                 "width": lw * f, "height": lh * f, "eta": 0.0, "strength": strength, "init_image": init_name}
        entry = {k: entry[k] for k in E2E_ORDER}
        entry["latents"] = save_npy(out, f"cases/{name}.latents.npy", lat)
        entry["image"] = f"cases/{name}.png"
        r.image.save(os.path.join(out, entry["image"]), optimize=False)
        entry["scheduler_class"] = type(make_scheduler(sampler, "leading", sd15.SCHEDULER)).__name__
        entry["prompt_ids"] = mps.token_ids(m.tokenizer, prompt)
        entry["negative_prompt_ids"] = mps.token_ids(m.tokenizer, negative)
        entry["latents_shape"] = list(lat.shape)
        entry["init_noise_sigma"] = r.init_noise_sigma
        entry["timesteps"] = [round(t, 6) for t in r.timesteps]
        entry["fractional_timesteps"] = any(t != int(t) for t in r.timesteps)
        debug = {"initial_latents": save_npy(out, f"cases/{name}.initial_latents.npy", r.initial_latents)}
        if not any(e["model"] == mname for e in entries):  # one per model: the component references cover the rest
            debug["prompt_embeds"] = save_npy(out, f"cases/{name}.prompt_embeds.npy", r.prompt_embeds)
        if strength:
            debug["latent_parameters"] = save_npy(out, f"cases/{name}.latent_parameters.npy",
                                                  r.extra["latent_parameters"])
            debug["posterior_noise"] = save_npy(out, f"cases/{name}.posterior_noise.npy", r.init_noise)
            debug["init_latents"] = save_npy(out, f"cases/{name}.init_latents.npy", r.extra["init_latents"])
            debug["added_noise"] = save_npy(out, f"cases/{name}.added_noise.npy", r.extra["added_noise"])
        else:
            debug["noise"] = save_npy(out, f"cases/{name}.noise.npy", r.init_noise)
        entry["debug"] = debug
        entries.append(entry)
        log(f"  {name:40s} {time.time() - t0:4.1f}s  latents {list(lat.shape)} std {float(lat.std()):.3f}  "
            f"image mean {pixels.mean():6.1f} std {pixels.std():5.1f}")
    return entries


# ---------------------------------------------------------------------------------------------------
# Writing everything


def add_forms(m: Model) -> None:
    n = m.name
    if n == "a":
        m.forms = [Form("diffusers", "diffusers", "fp32", "a/diffusers", None),
                   Form("diffusers_fp16", "diffusers", "fp16", "a/diffusers", None, variant="fp16"),
                   Form("single", "single_file", "fp32", "a/a.safetensors", "a/diffusers"),
                   Form("single_fp16", "single_file", "fp16", "a/a-fp16.safetensors", "a/diffusers", model_ema=True),
                   Form("ckpt", "ckpt", "fp16", "a/a-fp16.ckpt", "a/diffusers", fp32_buffers=True)]
    elif n == "b":
        m.forms = [Form("diffusers", "diffusers", "fp32", "b/diffusers", None),
                   Form("single", "single_file", "fp32", "b/b.safetensors", "b/diffusers"),
                   Form("single_fp16", "single_file", "fp16", "b/b-fp16.safetensors", "b/diffusers")]
    elif n == "c":
        m.forms = [Form("single_fp16", "single_file", "fp16", "c/c-fp16.safetensors", None)]
    elif n == "d":
        m.forms = [Form("single_bf16", "single_file", "bf16", "d/d-bf16.safetensors", "d/config")]


def write_model(out: str, m: Model, log) -> dict:
    sds = diffusers_state_dicts(m)
    ldm = ldm_state_dict(m, sds)
    folders = {}
    for form in m.forms:
        path = os.path.join(out, form.path)
        os.makedirs(os.path.dirname(path) if form.kind != "diffusers" else path, exist_ok=True)
        dtype = FLOAT_DTYPES[form.weights]
        if form.kind == "diffusers":
            folders.setdefault(form.path, []).append(form.variant)
            continue
        tensors = cast_weights(ldm, dtype, form.fp32_buffers)
        if form.model_ema:
            tensors.update(cf.cast_floats(ema_copy(m, ldm), dtype))
        if form.kind == "ckpt":
            cf.write_ckpt(path, tensors)
        else:
            cf.write_safetensors(path, tensors, SINGLE_FILE_METADATA.get(form.path))
        verify_single_file(path, m, sds, dtype, log)
        form.files = [form.path]
    for folder, variants in folders.items():
        files = write_diffusers_folder(os.path.join(out, folder), m, sds, variants)
        for form in m.forms:
            if form.path == folder:
                form.files = [f"{folder}/{f}" for f in files if _in_variant(f, form.variant)]
    config_folders = {f.config for f in m.forms if f.config and f.config not in folders}
    for folder in config_folders:  # configs without weights, as from_single_file(config=...) downloads them
        write_diffusers_folder(os.path.join(out, folder), m, sds, weights=False)
    for form in m.forms:  # a single file's form needs its config folder's configs and tokenizer too
        if form.kind != "diffusers" and form.config:
            form.files += sorted(os.path.relpath(os.path.join(r, f), out)
                                 for r, _, fs in os.walk(os.path.join(out, form.config)) for f in fs
                                 if not f.endswith(".safetensors"))
    return sds


def _in_variant(path: str, variant: Optional[str]) -> bool:
    """Whether a diffusers folder file belongs to ``variant`` (configs and tokenizer belong to all)."""
    if not path.endswith(".safetensors"):
        return True
    return path.endswith(f".{variant}.safetensors") if variant else not path.endswith(".fp16.safetensors")


def model_manifest(m: Model, refs_in, refs_out) -> dict:
    tok = m.tokenizer
    text_cfg = te.config_dict(m.text_encoder.config, tok.bos_token_id, tok.eos_token_id)
    extra = sorted(set(ldm_format.noise_schedule_buffers()) | set(ldm_format.ema_scalars())
                   | {ldm_format.CLIP_PREFIX + POSITION_IDS})
    return {
        "summary": m.summary,
        "sd15_defaults": m.sd15_defaults,
        "tokenizer": m.tokenizer_source,
        "vocab_size": m.text_encoder.config.vocab_size,
        "bos_token_id": tok.bos_token_id,
        "eos_token_id": tok.eos_token_id,
        "vae_scale_factor": m.vae_scale_factor,
        "parameters": {"text_encoder": parameter_count(m.text_encoder), "unet": parameter_count(m.unet),
                       "vae": parameter_count(m.vae)},
        "configs": {"text_encoder": text_cfg, "unet": _json_config(m.unet), "vae": _json_config(m.vae),
                    "scheduler": sd15.SCHEDULER},
        "forms": {f.name: {"kind": f.kind, "path": f.path, "config": f.config, "weights": f.weights,
                           "variant": f.variant, "model_ema": f.model_ema,
                           "ignored_keys": (extra + (["model_ema.<flattened UNet names>"] if f.model_ema else []))
                           if f.kind != "diffusers" else [POSITION_IDS],
                           "files": f.files} for f in m.forms},
        "components": {"inputs": refs_in, "outputs": refs_out},
    }


def _json_config(module) -> dict:
    c = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dict(module.config).items()
         if not k.startswith("_")}
    return c


def write_fixtures(out: str, a: Model, sds, log) -> dict:
    folder = os.path.join(out, "fixtures")
    os.makedirs(folder, exist_ok=True)
    small = {k: v for k, v in ldm_format.unet_to_ldm(sds["unet"], dict(a.unet.config)).items()
             if k.startswith(ldm_format.UNET_PREFIX + "out.")}  # conv_norm_out and conv_out: 4 tensors
    cf.write_evil_ckpt(os.path.join(folder, "evil.ckpt"), small)
    cf.write_legacy_ckpt(os.path.join(folder, "legacy.ckpt"), small)
    names = cf.pickle_globals(os.path.join(folder, "evil.ckpt"))
    if "posix.system" not in names:
        raise AssertionError(f"evil.ckpt names {names}, not posix.system")
    log(f"  fixtures/evil.ckpt pickle globals (read with pickletools, never unpickled): {names}")
    with open(os.path.join(folder, "legacy.ckpt"), "rb") as f:
        head = f.read(8)
    log(f"  fixtures/legacy.ckpt starts {head.hex()} (pickled magic number, no zip signature)")
    return {
        "evil": {"path": "fixtures/evil.ckpt", "layout": "torch zip (evil/data.pkl, evil/data/<n>, evil/version)",
                 "forbidden_global": "posix.system", "globals": names,
                 "note": "made by pickling an object whose __reduce__ returns (os.system, (command,)); never "
                         "unpickled. Unpickling it runs: " + cf.EVIL_COMMAND},
        "legacy": {"path": "fixtures/legacy.ckpt",
                   "layout": "torch.save(..., _use_new_zipfile_serialization=False): the pre-1.6 non-zip format",
                   "tensors": sorted(small)},
    }


def dump_json(path: str, obj) -> None:
    text = json.dumps(obj, indent=1, ensure_ascii=False)
    # keep number lists (ids, timesteps, shapes) on one line each
    text = re.sub(r"\[\s*([-0-9.e,\s]+?)\s*\]",
                  lambda mt: "[" + ", ".join(mt.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def folder_size(out: str) -> int:
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(repo, "src", "test", "resources", "compiler"))
    ap.add_argument("--clip-tokenizer", default=os.path.join(repo, "..", "shared", "clip-tokenizer"),
                    help="folder with the real CLIP vocab.json and merges.txt (default: %(default)s)")
    args = ap.parse_args(argv)

    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    diffusers_patches.zeroed_attention_scores_input()  # else stale NaN memory can leak into the UNet's output
    start = time.time()
    out = args.out
    for name in GENERATED:  # README.md stays
        path = os.path.join(out, name)
        shutil.rmtree(path) if os.path.isdir(path) else os.path.exists(path) and os.remove(path)
    os.makedirs(os.path.join(out, "cases"))
    log = lambda s: print(s, flush=True)  # noqa: E731

    a = build_a()
    models = {"a": a, "b": build_b(), "c": build_c(args.clip_tokenizer)}
    models["d"] = build_d(a)
    manifest_models, all_sds = {}, {}
    for m in models.values():
        add_forms(m)
        log(f"model {m.name}: text {parameter_count(m.text_encoder)}, unet {parameter_count(m.unet)}, "
            f"vae {parameter_count(m.vae)} parameters")
        sds = all_sds[m.name] = write_model(out, m, log)
        refs_in = component_inputs(out, m)
        refs_out = {w: component_outputs(out, m, refs_in, w) for w in sorted({f.weights for f in m.forms})}
        manifest_models[m.name] = model_manifest(m, refs_in, refs_out)
    log("fixtures")
    fixtures = write_fixtures(out, a, all_sds["a"], log)
    log("end-to-end cases")
    cases = run_cases(out, models, log)

    import diffusers
    manifest = {
        "format": 1,
        "diffusers_version": diffusers.__version__,
        "torch_version": torch.__version__.split("+")[0].replace("a0", ""),
        "generator": "torch.Generator('cpu').manual_seed(seed), shared by all draws of one case",
        "tolerances": {"component": "max |diff| <= 1e-4 * max |reference|", "end_to_end": "PSNR >= 55 dB"},
        "weights": {"fp32": "the weights as made", "fp16": "rounded to float16, computed in float32",
                    "bf16": "rounded to bfloat16, computed in float32"},
        "single_file_scheduler": sd15.SCHEDULER,
        "clip_skip": CLIP_SKIP_NOTE,
        "shape_derived_config": SHAPE_DERIVED,
        "models": manifest_models,
        "fixtures": fixtures,
        "cases": cases,
    }
    dump_json(os.path.join(out, "manifest.json"), manifest)
    size = folder_size(out)
    log(f"{len(cases)} cases, {len(models)} models; {size / 2 ** 20:.2f} MiB in {out}; "
        f"{time.time() - start:.0f}s")


if __name__ == "__main__":
    sys.exit(main())
