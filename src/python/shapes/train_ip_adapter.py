"""The shapes pack's IP-Adapter and its image encoder: a reference picture lends its colour and shape.

A small ViT in the CLIP vision format (lsmodels.clip_vision: 224x224 input as CLIPImageProcessor makes it,
32x32 patches, width 64, 3 layers, 64-wide image embedding), the IP-Adapter's image projection (4 tokens) and
the decoupled key/value projections of each of the UNet's 7 cross-attention layers, trained together with
the pack's text encoder, UNet and VAE frozen. The reference is the training picture itself; captions leave out
the colour 85% and the shape 60% of the time, so the picture has to supply them; the embedding is zeroed 10%
of the time (the unconditional side is the projection of zeros, as at inference). Saves h94's format
(ip-adapter.safetensors) and the image_encoder/ folder to --out (default work/ip_adapter).

    source env.sh && $PY train_ip_adapter.py [--steps 1200]
"""
from __future__ import annotations

import argparse
import os
import random

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import addon_data
import common
import pack_weights
from lsmodels import clip_vision, control_files
from lsmodels.diffusers_folder import save_safetensors

VISION = clip_vision.VisionConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=3, num_attention_heads=2,
                                  image_size=224, patch_size=32, projection_dim=64, hidden_act="gelu")


class Adapter(torch.nn.Module):
    """The trainable parts: image projection and per-layer to_k_ip / to_v_ip, in diffusers' processor order."""

    def __init__(self, unet, embed_dim: int):
        super().__init__()
        cross = unet.config.cross_attention_dim
        self.proj = torch.nn.Linear(embed_dim, 4 * cross)
        self.norm = torch.nn.LayerNorm(cross)
        self.names = control_files.cross_attention_processors(unet)
        widths = [unet.get_submodule(n[:-len(".processor")]).to_q.out_features for n in self.names]
        self.to_k = torch.nn.ModuleList(torch.nn.Linear(cross, w, bias=False) for w in widths)
        self.to_v = torch.nn.ModuleList(torch.nn.Linear(cross, w, bias=False) for w in widths)

    def state_dict_h94(self):
        return control_files.ip_adapter_state_dict(self.proj, self.norm, list(self.to_k), list(self.to_v))


def pixel_values(images: np.ndarray) -> torch.Tensor:
    """CLIPImageProcessor on each uint8 picture (Pillow bicubic to 224, crop, CLIP mean/std)."""
    return torch.from_numpy(np.stack([clip_vision.clip_preprocess(Image.fromarray(im)) for im in images]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--scenes", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default=os.path.join(common.WORK, "ip_adapter"))
    args = ap.parse_args()
    common.setup(args.seed)
    from diffusers import DDPMScheduler
    pack = pack_weights.load_pack()
    unet = pack.unet
    for m in (pack.text_encoder, unet, pack.vae):
        m.requires_grad_(False)
    clock = common.Clock()
    scenes, images, _, mean, std = addon_data.dataset(pack.vae, args.scenes, args.seed)
    scaling = pack.vae.config.scaling_factor
    print(f"{len(scenes)} scenes encoded in {clock():.0f}s", flush=True)
    vision = clip_vision.CLIPVisionModelWithProjection(VISION)
    adapter = Adapter(unet, VISION.projection_dim)
    # the UNet runs with diffusers' IP-Adapter processors holding our Linear layers (shared, so they train)
    unet._load_ip_adapter_weights([control_files.split_ip_adapter(adapter.state_dict_h94())])
    procs = unet.attn_processors
    for i, name in enumerate(adapter.names):
        procs[name].to_k_ip[0] = adapter.to_k[i]
        procs[name].to_v_ip[0] = adapter.to_v[i]
        procs[name].scale = [1.0]
    unet.set_attn_processor(procs)
    projection = unet.encoder_hid_proj.image_projection_layers[0]
    projection.image_embeds = adapter.proj
    projection.norm = adapter.norm
    params = list(vision.parameters()) + list(adapter.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    sched = DDPMScheduler(**addon_data.SCHEDULE)
    g = torch.Generator().manual_seed(args.seed)
    rng = random.Random(args.seed)
    vision.train()
    adapter.train()
    run = 0.0
    for step in range(args.steps):
        lr = args.lr * min(1.0, (step + 1) / 50) * (0.1 + 0.45 * (1 + np.cos(np.pi * step / args.steps)))
        for group in opt.param_groups:
            group["lr"] = lr
        idx = torch.randint(0, len(scenes), (args.batch,), generator=g).tolist()
        z = (mean[idx] + std[idx] * torch.randn(mean[idx].shape, generator=g)) * scaling
        captions = ["" if rng.random() < 0.1 else addon_data.caption(scenes[i], rng, 0.15, 0.4, 0.8) for i in idx]
        with torch.no_grad():
            states = pack.text_encoder(torch.tensor([pack.tokenizer(c) for c in captions]))[0]
        embeds = vision(pixel_values(images[idx]))
        keep = torch.tensor([rng.random() >= 0.1 for _ in idx], dtype=torch.float32)[:, None]
        noise = torch.randn(z.shape, generator=g)
        t = torch.randint(0, 1000, (args.batch,), generator=g)
        noisy = sched.add_noise(z, noise, t)
        # diffusers' IP-Adapter path: image_embeds [batch, images, dim] through the projection to the processors
        pred = unet(noisy, t, encoder_hidden_states=states,
                    added_cond_kwargs={"image_embeds": [(embeds * keep)[:, None]]}).sample
        per = F.mse_loss(pred, noise, reduction="none").mean(dim=(1, 2, 3))
        loss = (per * addon_data.min_snr_weights(sched.alphas_cumprod, t)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        run = 0.98 * run + 0.02 * loss.item() if step else loss.item()
        if step % 25 == 0 or step == args.steps - 1:
            print(f"step {step:5d}  loss {run:.4f}  lr {lr:.2e}  {clock() / 60:5.1f} min", flush=True)
    vision.eval()
    os.makedirs(args.out, exist_ok=True)
    clip_vision.write_folder(vision, os.path.join(args.out, "image_encoder"))
    save_safetensors(adapter.state_dict_h94(), os.path.join(args.out, "ip-adapter_shapes.safetensors"))
    print(f"saved to {args.out} after {clock() / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
