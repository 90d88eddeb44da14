#!/usr/bin/env python3
"""Tiny random models for ControlNet and IP-Adapter parity, and diffusers' reference outputs.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/parity/make_control_set.py

Writes under --out (default src/test/resources/control of this checkout):
  tiny-sd/                     a diffusers folder: CLIP-like text encoder (width 32), UNet with three levels
                               (16, 32, 32; cross-attention on the first two), AutoencoderKL (8, 8, 16, 16)
  controlnet-a/                a random ControlNetModel of that UNet, diffusers folder
  controlnet-b.safetensors     another, in lllyasviel's original single-file naming (control_model.*)
  ip-adapter.safetensors       a random IP-Adapter in h94's key format
  image_encoder/               a random CLIP vision ViT (CLIPVisionModelWithProjection names), 224², patch 32
  cases.json, *.latents.npy, *.png   diffusers' pictures (control images and IP reference included)
  clip_preprocess/             five pictures of different sizes, CLIPImageProcessor's 8-bit resize and crop of
                               each (.crop.png) and, for one, its float tensor (.npy)

Every weight is random but not zero (ControlNets' zero convolutions too), so every path changes the result.
Seeded; a rerun gives the same files.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil

import numpy as np
import torch
from PIL import Image, ImageDraw

from lsmodels import clip_vision, control_files, control_pipeline, diffusers_folder, export
from lsmodels.bpe_vocab import Tokenizer
from lsmodels.reference_pipeline import Components
from lsmodels.text_encoder import CLIPLikeTextEncoder, TextEncoderConfig

SEED = 4321
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TOKENIZER = os.path.join(ROOT, "src", "test", "resources", "models", "tiny-sd", "tokenizer")
PROMPT = "a red circle on a blue background"
SCHEDULER = dict(export.SD15_SCHEDULER_CONFIG)


def build_base(out):
    from diffusers import AutoencoderKL, UNet2DConditionModel
    torch.manual_seed(SEED)
    tok = Tokenizer.from_folder(TOKENIZER)
    vocab = json.load(open(os.path.join(TOKENIZER, "vocab.json")))
    text = CLIPLikeTextEncoder(TextEncoderConfig(vocab_size=len(vocab), hidden_size=32))
    unet = UNet2DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(16, 32, 32),
        down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"), cross_attention_dim=32,
        attention_head_dim=2, norm_num_groups=8)
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, layers_per_block=1,
                        block_out_channels=(8, 8, 16, 16), down_block_types=("DownEncoderBlock2D",) * 4,
                        up_block_types=("UpDecoderBlock2D",) * 4, norm_num_groups=4, sample_size=64)
    for m in (text, unet, vae):
        m.eval()
    with torch.no_grad():
        g = torch.Generator().manual_seed(SEED + 1)
        states = text(torch.randint(0, len(vocab) - 2, (2, 77), generator=g))[0]
        std = unet(torch.randn(2, 4, 8, 8, generator=g), torch.tensor(500), encoder_hidden_states=states).sample.std()
        unet.conv_out.weight.mul_(1 / std)
        unet.conv_out.bias.mul_(1 / std)
        vae.quant_conv.bias[4:].fill_(-6.0)
        std = vae.decode(torch.randn(2, 4, 8, 8, generator=g) / vae.config.scaling_factor).sample.std()
        vae.decoder.conv_out.weight.mul_(0.5 / std)
        vae.decoder.conv_out.bias.mul_(0.5 / std)
    folder = os.path.join(out, "tiny-sd")
    shutil.rmtree(folder, ignore_errors=True)
    export.write_scheduler_config(os.path.join(folder, "scheduler"), SCHEDULER)
    shutil.copytree(TOKENIZER, os.path.join(folder, "tokenizer"))
    diffusers_folder.write_weights(folder, text, unet, vae, vocab["<|startoftext|>"], vocab["<|endoftext|>"])
    return folder


def random_controlnet(unet, seed):
    from diffusers import ControlNetModel
    torch.manual_seed(seed)
    net = ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=(8, 8, 16, 16)).eval()
    with torch.no_grad():
        # trained ControlNets have non-zero "zero convs"; random ones make every residual count
        for conv in list(net.controlnet_down_blocks) + [net.controlnet_mid_block,
                                                          net.controlnet_cond_embedding.conv_out]:
            conv.weight.normal_(0, 0.3)
            conv.bias.normal_(0, 0.05)
        for p in net.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    return net


def random_ip_adapter(unet, embed_dim, seed):
    torch.manual_seed(seed)
    cross = unet.config.cross_attention_dim
    proj = torch.nn.Linear(embed_dim, 4 * cross)
    norm = torch.nn.LayerNorm(cross)
    with torch.no_grad():
        norm.weight.normal_(1, 0.2)
        norm.bias.normal_(0, 0.2)
    ks, vs = [], []
    for name in control_files.cross_attention_processors(unet):
        width = unet.get_submodule(name[:-len(".processor")]).to_q.out_features
        ks.append(torch.nn.Linear(cross, width, bias=False))
        vs.append(torch.nn.Linear(cross, width, bias=False))
        with torch.no_grad():
            ks[-1].weight.normal_(0, cross ** -0.5)
            vs[-1].weight.normal_(0, 2 * cross ** -0.5)
    return control_files.ip_adapter_state_dict(proj, norm, ks, vs)


def control_images(out):
    a = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(a).ellipse((10, 14, 40, 44), fill="white")
    b = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(b).rectangle((30, 20, 56, 50), outline="white", width=2)
    a.save(os.path.join(out, "control_a.png"))
    b.save(os.path.join(out, "control_b.png"))
    ref = Image.new("RGB", (96, 80), (30, 140, 200))
    ImageDraw.Draw(ref).polygon([(20, 70), (48, 10), (76, 70)], fill=(220, 40, 30))
    ref.save(os.path.join(out, "ip_reference.png"))
    return a, b, ref


def preprocess_set(out):
    folder = os.path.join(out, "clip_preprocess")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(SEED)
    cases = []
    for i, (w, h) in enumerate([(64, 64), (300, 200), (123, 457), (224, 224), (501, 333)]):
        base = rng.integers(0, 256, size=(h // 8 + 1, w // 8 + 1, 3), dtype=np.uint8)
        img = Image.fromarray(base).resize((w, h), Image.BILINEAR)
        d = ImageDraw.Draw(img)
        d.ellipse((w // 5, h // 4, w // 2, h // 2), fill=(250, 20, 20))
        d.line((0, h - 1, w - 1, 0), fill=(10, 240, 30), width=3)
        name = f"image_{i}_{w}x{h}.png"
        img.save(os.path.join(folder, name))
        # the 8-bit resize and crop (where PIL's bicubic must be matched exactly) for every picture, the float
        # tensor for the first (the normalisation is the same for all; 600 KB each)
        crop = clip_vision.resize_and_crop(img)
        Image.fromarray(crop).save(os.path.join(folder, name.replace(".png", ".crop.png")))
        if i == 1:
            np.save(os.path.join(folder, name.replace(".png", ".npy")), clip_vision.normalize(crop))
        cases.append(name)
    return cases


def components(folder):
    text, unet, vae = diffusers_folder.load_modules(folder)
    return Components(Tokenizer.from_folder(os.path.join(folder, "tokenizer")), text, unet, vae, SCHEDULER)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "src", "test", "resources", "control"))
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    base = build_base(out)
    unet = components(base).unet
    net_a = random_controlnet(unet, SEED + 10)
    net_b = random_controlnet(unet, SEED + 20)
    shutil.rmtree(os.path.join(out, "controlnet-a"), ignore_errors=True)
    control_files.write_controlnet_folder(net_a, os.path.join(out, "controlnet-a"))
    control_files.write_ldm_controlnet(net_b, os.path.join(out, "controlnet-b.safetensors"))

    torch.manual_seed(SEED + 30)
    vision = clip_vision.CLIPVisionModelWithProjection(clip_vision.VisionConfig()).eval()
    with torch.no_grad():
        for p in vision.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.05)
    shutil.rmtree(os.path.join(out, "image_encoder"), ignore_errors=True)
    clip_vision.write_folder(vision, os.path.join(out, "image_encoder"))
    ip = random_ip_adapter(unet, vision.config.projection_dim, SEED + 40)
    diffusers_folder.save_safetensors(ip, os.path.join(out, "ip-adapter.safetensors"))

    img_a, img_b, ref = control_images(out)
    with torch.no_grad():
        embeds = vision(torch.from_numpy(clip_vision.clip_preprocess(ref))[None])
    settings = dict(seed=7, steps=12, guidance_scale=7.5, sampler="euler", schedule="normal", width=64, height=64)
    cases = []
    specs = [("cn_one_s1", [net_a], [img_a], [1.0]), ("cn_one_s05", [net_a], [img_a], [0.5]),
             ("cn_two_s1", [net_a, net_b], [img_a, img_b], [1.0, 1.0]),
             ("cn_two_s05", [net_a, net_b], [img_a, img_b], [0.5, 0.5])]
    for name, nets, images, scales in specs:
        r = control_pipeline.txt2img(components(base), PROMPT, controlnets=nets, control_images=images, scales=scales,
                                     control_start=[0.0] * len(nets), control_end=[1.0] * len(nets), **settings)
        cases.append(save_case(out, name, r, dict(kind="controlnet", strengths=scales)))
    flat = {k: v for k, v in ip.items()}
    for name, scale in (("ip_s1", 1.0), ("ip_s05", 0.5)):
        r = control_pipeline.txt2img(components(base), PROMPT, ip_adapter=control_files.split_ip_adapter(flat),
                                     image_embeds=embeds, ip_scale=scale, **settings)
        cases.append(save_case(out, name, r, dict(kind="ip_adapter", weight=scale)))
    r = control_pipeline.txt2img(components(base), PROMPT, **settings)
    cases.append(save_case(out, "plain", r, dict(kind="none")))
    manifest = dict(format=1, model="tiny-sd", prompt=PROMPT, settings=settings, controlnets=["controlnet-a",
                    "controlnet-b.safetensors"], control_images=["control_a.png", "control_b.png"],
                    ip_adapter="ip-adapter.safetensors", image_encoder="image_encoder",
                    ip_reference="ip_reference.png", cases=cases, clip_preprocess=preprocess_set(out))
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def save_case(out, name, r, extra):
    np.save(os.path.join(out, name + ".latents.npy"), r.latents.numpy().astype(np.float32))
    r.image.save(os.path.join(out, name + ".png"))
    print(f"{name}: latents std {r.latents.std():.3f}")
    return dict(name=name, latents=name + ".latents.npy", image=name + ".png", **extra)


if __name__ == "__main__":
    main()
