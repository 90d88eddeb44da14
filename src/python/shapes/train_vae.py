"""Stage 1: the shapes VAE, a diffusers AutoencoderKL, 64x64 RGB <-> 4x8x8 latent.

L1 + MSE reconstruction loss with foreground pixels weighted up, a small KL term, AdamW with a
cosine-decayed learning rate. Writes work/vae/ (diffusers save_pretrained, scaling_factor = 1/std of
the latents of the training set) and work/vae_stats.json.

    python3 train_vae.py [--steps 1800]
"""
from __future__ import annotations

import argparse
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

import common
from dataset import heldout_prompts, render, scenes_for_prompts

VAE_CONFIG = dict(
    in_channels=3, out_channels=3,
    down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
    block_out_channels=(16, 32, 64, 64), layers_per_block=1, latent_channels=4,
    norm_num_groups=8, sample_size=64, act_fn="silu",
)


def make_vae():
    from diffusers import AutoencoderKL
    return AutoencoderKL(**VAE_CONFIG)


def lr_at(step: int, steps: int, peak: float, warmup: int, floor: float) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    p = (step - warmup) / max(1, steps - warmup)
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * p))


@torch.no_grad()
def reconstruct(vae, images: np.ndarray, batch: int = 256) -> np.ndarray:
    out = []
    for i in range(0, len(images), batch):
        x = common.to_tensor(images[i:i + batch])
        out.append(common.to_uint8(vae.decode(vae.encode(x).latent_dist.mode()).sample))
    return np.concatenate(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1800)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--fg-weight", type=float, default=4.0)
    ap.add_argument("--kl-weight", type=float, default=1e-6)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    common.setup(args.seed)
    clock = common.Clock()

    images, masks, _ = common.training_set()
    n_val = 512
    val_images = images[-n_val:]
    train_images, train_masks = images[:-n_val], masks[:-n_val]
    print(f"VAE training: {len(train_images)} images, {args.steps} steps, batch {args.batch}", flush=True)

    vae = make_vae()
    vae.train()
    n_params = sum(p.numel() for p in vae.parameters())
    print(f"AutoencoderKL {VAE_CONFIG['block_out_channels']}: {n_params / 1e6:.2f} M parameters", flush=True)
    opt = torch.optim.AdamW(vae.parameters(), lr=args.lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(args.seed)

    t_train = common.Clock()
    run_rec = run_kl = 0.0
    for step in range(args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args.steps, args.lr, 100, args.lr * 0.01)
        idx = torch.randint(0, len(train_images), (args.batch,), generator=g).numpy()
        x = common.to_tensor(train_images[idx])
        m = torch.from_numpy(train_masks[idx].astype(np.float32)).unsqueeze(1)
        m = F.max_pool2d(m, 3, stride=1, padding=1)  # a pixel of margin around each shape
        w = 1.0 + args.fg_weight * m
        post = vae.encode(x).latent_dist
        y = vae.decode(post.sample(generator=g)).sample
        err = y - x
        rec = ((err.abs() + err.pow(2)) * w).mean() / w.mean()
        kl = post.kl().mean()
        loss = rec + args.kl_weight * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        run_rec = 0.98 * run_rec + 0.02 * rec.item() if step else rec.item()
        run_kl = 0.98 * run_kl + 0.02 * kl.item() if step else kl.item()
        if step % 50 == 0 or step == args.steps - 1:
            el = t_train()
            print(f"step {step:5d}  rec {run_rec:.4f}  kl {run_kl:8.1f}  lr {opt.param_groups[0]['lr']:.2e}  "
                  f"{el / 60:5.1f} min  {(step + 1) / el:.2f} it/s", flush=True)
    train_time = t_train()

    vae.eval()
    with torch.no_grad():
        # scaling factor: 1 / std of sampled latents over training images, as SD's 0.18215 was chosen
        zs = []
        gz = torch.Generator().manual_seed(123)
        for i in range(0, 4096, 256):
            zs.append(vae.encode(common.to_tensor(train_images[i:i + 256])).latent_dist.sample(generator=gz))
        z = torch.cat(zs)
        std = z.std().item()
        chan_mean = z.mean(dim=(0, 2, 3)).tolist()
        chan_std = z.std(dim=(0, 2, 3)).tolist()
    scaling = 1.0 / std
    vae.register_to_config(scaling_factor=scaling)

    val_psnr = common.psnr(val_images, reconstruct(vae, val_images))
    hp = heldout_prompts()
    held_images = np.stack([render(s) for s in scenes_for_prompts(hp, seed=7)])
    held_psnr = common.psnr(held_images, reconstruct(vae, held_images))

    out = os.path.join(common.WORK, "vae")
    vae.save_pretrained(out, safe_serialization=False)
    stats = {
        "steps": args.steps, "batch": args.batch, "train_seconds": round(train_time, 1),
        "steps_per_second": round(args.steps / train_time, 3), "parameters": n_params,
        "final_rec_loss": round(run_rec, 5), "final_kl": round(run_kl, 2),
        "latent_std": std, "scaling_factor": scaling, "latent_channel_mean": chan_mean,
        "latent_channel_std": chan_std, "psnr_val_db": round(val_psnr, 2), "psnr_heldout_scenes_db": round(held_psnr, 2),
        "total_seconds": round(clock(), 1),
    }
    with open(os.path.join(common.WORK, "vae_stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps(stats, indent=1), flush=True)
    print(f"VAE done in {clock() / 60:.1f} min: PSNR {val_psnr:.2f} dB, scaling factor {scaling:.4f}", flush=True)


if __name__ == "__main__":
    main()
