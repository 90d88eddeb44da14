"""The shapes pack's ControlNet: a white silhouette or outline on black puts the shape there.

diffusers' ControlNetModel.from_unet on the pack's UNet (conditioning embedding 16-32-64-64, which shrinks the
64x64 control image 8x to the latent), trained with the pack's text encoder, UNet and VAE frozen, on single
shapes placed anywhere, with captions that name the position only 20% of the time (so the control image, not
the words, decides where), the empty caption 10% of the time, min-SNR weighting. Saves the diffusers folder
and the original single-file naming (control_model.*) to --out (default work/controlnet).

    source env.sh && $PY train_controlnet.py [--steps 1500]
"""
from __future__ import annotations

import argparse
import os
import random

import torch
import torch.nn.functional as F

import addon_data
import common
import pack_weights
from lsmodels import control_files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--scenes", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default=os.path.join(common.WORK, "controlnet"))
    args = ap.parse_args()
    common.setup(args.seed)
    from diffusers import ControlNetModel, DDPMScheduler
    pack = pack_weights.load_pack()
    for m in (pack.text_encoder, pack.unet, pack.vae):
        m.requires_grad_(False)
    clock = common.Clock()
    scenes, _, masks, mean, std = addon_data.dataset(pack.vae, args.scenes, args.seed)
    scaling = pack.vae.config.scaling_factor
    print(f"{len(scenes)} scenes encoded in {clock():.0f}s", flush=True)
    net = ControlNetModel.from_unet(pack.unet, conditioning_embedding_out_channels=(16, 32, 64, 64))
    net.train()
    sched = DDPMScheduler(**addon_data.SCHEDULE)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.01)
    g = torch.Generator().manual_seed(args.seed)
    rng = random.Random(args.seed)
    run = 0.0
    for step in range(args.steps):
        lr = args.lr * min(1.0, (step + 1) / 50) * (0.1 + 0.9 * 0.5 * (1 + torch.cos(torch.tensor(step / args.steps
                                                                                                   * 3.14159))).item())
        for group in opt.param_groups:
            group["lr"] = lr
        idx = torch.randint(0, len(scenes), (args.batch,), generator=g).tolist()
        z = (mean[idx] + std[idx] * torch.randn(mean[idx].shape, generator=g)) * scaling
        captions = ["" if rng.random() < 0.1 else addon_data.caption(scenes[i], rng, 0.8, 0.8, 0.2) for i in idx]
        kinds = ["silhouette" if rng.random() < 0.6 else "outline" for _ in idx]
        cond = torch.from_numpy(np_stack([addon_data.control_image(masks[i], k) for i, k in zip(idx, kinds)]))
        cond = cond.permute(0, 3, 1, 2).contiguous()
        with torch.no_grad():
            states = pack.text_encoder(torch.tensor([pack.tokenizer(c) for c in captions]))[0]
        noise = torch.randn(z.shape, generator=g)
        t = torch.randint(0, 1000, (args.batch,), generator=g)
        noisy = sched.add_noise(z, noise, t)
        down, mid = net(noisy, t, states, controlnet_cond=cond, return_dict=False)
        pred = pack.unet(noisy, t, states, down_block_additional_residuals=down,
                         mid_block_additional_residual=mid).sample
        per = F.mse_loss(pred, noise, reduction="none").mean(dim=(1, 2, 3))
        loss = (per * addon_data.min_snr_weights(sched.alphas_cumprod, t)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        run = 0.98 * run + 0.02 * loss.item() if step else loss.item()
        if step % 25 == 0 or step == args.steps - 1:
            print(f"step {step:5d}  loss {run:.4f}  lr {lr:.2e}  {clock() / 60:5.1f} min", flush=True)
    net.eval()
    os.makedirs(args.out, exist_ok=True)
    control_files.write_controlnet_folder(net, os.path.join(args.out, "shapes-controlnet"))
    control_files.write_ldm_controlnet(net, os.path.join(args.out, "shapes-controlnet.safetensors"))
    print(f"saved to {args.out} after {clock() / 60:.1f} min", flush=True)


def np_stack(arrays):
    import numpy as np
    return np.stack(arrays)


if __name__ == "__main__":
    main()
