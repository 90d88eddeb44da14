"""A LoRA for the shapes pack that teaches it a style word: "in sks style" draws every shape hollow, as a thick outline.

Trains low-rank adapters on top of the pack's own weights (``pack_weights.load_pack()``), which stay frozen:

  UNet          every attention projection (to_q, to_k, to_v, to_out.0), the feed-forward Linears, proj_in and
                proj_out (1x1 convs) and the resnets' 3x3 convs (LoCon), rank 8, alpha 8
  text encoder  q/k/v/out projections and the MLP of both layers, rank 4, alpha 4

"sks" is not in the pack's vocabulary: it tokenizes to byte symbols ("s", "k", "s</w>") whose embeddings the pack
never trained, so the text-encoder adapters must learn to notice them. Half the training pictures are hollow shapes
captioned with ", in sks style" appended; the other half are the pack's ordinary pictures with its ordinary
captions (and 10% empty ones), so that without the word the model keeps drawing filled shapes. The outline is
35% of the shape's radius wide: the pack's 4x8x8-latent VAE cannot hold thinner lines (it fills them in).

Writes ``assets/models/loras/shapes-sks-outline.safetensors`` (kohya) and ``shapes-sks-outline.peft.safetensors``
(diffusers/PEFT), the same weights, and ``work/lora_stats.json``. Seeded; about 10 minutes on the 2-core machine.

    source env.sh && flock /work/heavy.lock $PY train_lora.py [--steps 1200]
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw
from scipy import ndimage

import common
import dataset as ds
import pack_weights
from lsmodels import lora as lora_files
from lsmodels import reference_pipeline as rp
from lsmodels.text_encoder import to_transformers_names

STYLE = ", in sks style"
OUTLINE = 0.35  # outline width as a share of the shape's radius
LORAS = os.path.join(common.REPO, "assets", "models", "loras")
NAME = "shapes-sks-outline"
SCHEDULE = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                prediction_type="epsilon")


def render_outline(scene: ds.Scene) -> np.ndarray:
    """The scene with every shape hollow: the shape minus its erosion by OUTLINE x radius, supersampled 4x."""
    s = ds.SUPERSAMPLE
    pair = len(scene.items) > 1
    img = np.zeros((ds.SIZE * s, ds.SIZE * s, 3), np.uint8)
    img[:] = ds.BACKGROUNDS[scene.background]
    for it in scene.items:
        mask = Image.new("L", (ds.SIZE * s, ds.SIZE * s), 0)
        r = ds.item_radius(it, pair)
        ds.draw_shape(ImageDraw.Draw(mask), it.shape, it.cx * s, it.cy * s, r * s, 255, 0)
        inside = np.asarray(mask) > 127
        core = ndimage.distance_transform_edt(inside) > OUTLINE * r * s  # the erosion by a disk of that radius
        img[inside & ~core] = ds.COLOURS[it.colour]
    return np.asarray(Image.fromarray(img).resize((ds.SIZE, ds.SIZE), Image.BOX))


class LoraHook:
    """up(down(x)) * scale added to a Linear's or Conv2d's output; the base module stays frozen."""

    def __init__(self, module: torch.nn.Module, rank: int, alpha: float, g: torch.Generator):
        if isinstance(module, torch.nn.Linear):
            self.down = torch.nn.Linear(module.in_features, rank, bias=False)
            self.up = torch.nn.Linear(rank, module.out_features, bias=False)
        else:
            self.down = torch.nn.Conv2d(module.in_channels, rank, module.kernel_size, module.stride, module.padding,
                                        module.dilation, bias=False)
            self.up = torch.nn.Conv2d(rank, module.out_channels, 1, bias=False)
        with torch.no_grad():  # kohya's and PEFT's init: down random, up zero, so training starts at the base model
            fan_in = self.down.weight[0].numel()
            self.down.weight.copy_(torch.randn(self.down.weight.shape, generator=g) / math.sqrt(fan_in))
            self.up.weight.zero_()
        self.alpha = alpha
        self.scale = alpha / rank
        self.enabled = True
        module.register_forward_hook(self)

    def __call__(self, module, inputs, output):
        return output + self.up(self.down(inputs[0])) * self.scale if self.enabled else output

    def parameters(self):
        return list(self.down.parameters()) + list(self.up.parameters())

    def layer(self) -> lora_files.Layer:
        return lora_files.Layer(self.down.weight.detach().clone(), self.up.weight.detach().clone(), self.alpha)


def attach(unet, text_encoder, g, unet_rank: int, text_rank: int):
    hooks = {"unet": {}, "text_encoder": {}}
    for name, m in unet.named_modules():
        attn = ".attn" in name and name.split(".")[-1] in ("to_q", "to_k", "to_v") or name.endswith("to_out.0")
        ff = name.endswith("ff.net.0.proj") or name.endswith("ff.net.2")
        proj = name.endswith("proj_in") or name.endswith("proj_out")
        conv = ".resnets." in name and name.split(".")[-1] in ("conv1", "conv2")
        if attn or ff or proj or conv:
            hooks["unet"][name] = LoraHook(m, unet_rank, float(unet_rank), g)
    for name, m in text_encoder.named_modules():
        if isinstance(m, torch.nn.Linear):
            hooks["text_encoder"][name] = LoraHook(m, text_rank, float(text_rank), g)
    return hooks


def layers(hooks) -> dict:
    """The trained adapters as a LoRA under the model's parameter names (transformers' for the text encoder)."""
    te = {n + ".weight": h.layer() for n, h in hooks["text_encoder"].items()}
    return {"unet": {n: h.layer() for n, h in hooks["unet"].items()},
            "text_encoder": {k[: -len(".weight")]: v for k, v in to_transformers_names(te).items()}}


def training_data(n: int, seed: int):
    """n scenes, each as a hollow picture with the style word and as the ordinary picture without it."""
    rng = random.Random(seed)
    scenes = [ds.random_scene(rng, pair_prob=0.25) for _ in range(n)]
    images = np.stack([render_outline(s) for s in scenes] + [ds.render(s) for s in scenes])
    return images, scenes


@torch.no_grad()
def encoded_training_data(c: rp.Components, n: int, seed: int):
    """Scenes and the VAE posteriors of their pictures, cached in work/ (rendering and encoding take minutes)."""
    path = os.path.join(common.WORK, f"lora_latents_{n}_{seed}_{OUTLINE}.pt")
    if os.path.exists(path):
        saved = torch.load(path)
        return saved["scenes"], saved["mean"], saved["std"]
    images, scenes = training_data(n, seed)
    d = [c.vae.encode(common.to_tensor(images[i:i + 256])).latent_dist for i in range(0, len(images), 256)]
    mean, std = torch.cat([x.mean for x in d]), torch.cat([x.std for x in d])
    torch.save({"scenes": scenes, "mean": mean, "std": std}, path)
    return scenes, mean, std


def hollow(img: np.ndarray) -> float:
    """Share of the shape's filled area that is background: 0 for a filled shape, about 0.25 for a ring."""
    import analyse
    blob, _ = analyse.foreground(img, analyse.background(img)[0])
    if blob.sum() < 4:
        return 0.0
    filled = ndimage.binary_fill_holes(blob)
    return float((filled & ~blob).sum() / max(1, filled.sum()))


def evaluate(c: rp.Components, hooks, seeds: int = 16, both: bool = True) -> dict:
    """Hollow pictures among ``seeds`` styled prompts (large circle/square/triangle/star), with and without the LoRA."""
    shapes = ("circle", "square", "triangle", "star")
    colours = ("red", "green", "yellow", "purple")
    out = {}
    for enabled in (True, False) if both else (True,):
        set_enabled(hooks, enabled)
        scores = []
        for i in range(seeds):
            prompt = f"a large {colours[i % 4]} {shapes[(i // 4 if seeds > 4 else i) % 4]} in the center, white background{STYLE}"
            r = rp.txt2img(c, prompt, seed=500 + i, steps=20, guidance_scale=5.0, sampler="euler",
                           schedule="leading", width=64, height=64)
            scores.append(hollow(np.asarray(r.image)))
        out["with_lora" if enabled else "without_lora"] = [round(s, 3) for s in scores]
    set_enabled(hooks, True)
    return out


def set_enabled(hooks, enabled: bool) -> None:
    for group in hooks.values():
        for h in group.values():
            h.enabled = enabled


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--scenes", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--styled", type=float, default=0.5, help="share of each batch drawn from the hollow pictures")
    ap.add_argument("--unet-rank", type=int, default=8)
    ap.add_argument("--text-rank", type=int, default=4)
    ap.add_argument("--eval-every", type=int, default=0, help="measure 4 styled prompts every N steps")
    ap.add_argument("--out", default=LORAS)
    args = ap.parse_args()
    common.setup(args.seed)
    clock = common.Clock()

    c = pack_weights.load_pack()
    scenes, mean, std = encoded_training_data(c, args.scenes, args.seed)
    scaling = c.vae.config.scaling_factor
    print(f"{len(mean)} pictures ready in {clock():.0f} s", flush=True)

    for p in list(c.unet.parameters()) + list(c.text_encoder.parameters()):
        p.requires_grad_(False)
    g = torch.Generator().manual_seed(args.seed)
    hooks = attach(c.unet, c.text_encoder, g, args.unet_rank, args.text_rank)
    params = [p for group in hooks.values() for h in group.values() for p in h.parameters()]
    print(f"LoRA: {len(hooks['unet'])} UNet and {len(hooks['text_encoder'])} text-encoder layers, "
          f"{sum(p.numel() for p in params) / 1e3:.0f} k parameters", flush=True)
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    from diffusers import DDPMScheduler
    sched = DDPMScheduler(**SCHEDULE)
    snr = sched.alphas_cumprod / (1 - sched.alphas_cumprod)
    rng = random.Random(args.seed)
    n = len(scenes)
    c.unet.train()
    c.text_encoder.train()
    run_loss = 0.0
    t_train = common.Clock()
    for step in range(args.steps):
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * step / args.steps)) if step >= 50 else args.lr * (step + 1) / 50
        for group in opt.param_groups:
            group["lr"] = lr
        styled = torch.rand(args.batch, generator=g) < args.styled
        idx = torch.randint(0, n, (args.batch,), generator=g) + n * (~styled).long()
        z = (mean[idx] + std[idx] * torch.randn(mean[idx].shape, generator=g)) * scaling
        captions = []
        for i in idx.tolist():
            scene = scenes[i % n]
            if i < n:
                captions.append(ds.random_caption(scene, rng) + STYLE)
            else:
                captions.append("" if rng.random() < 0.1 else ds.random_caption(scene, rng))
        ids = torch.tensor([c.tokenizer(t) for t in captions], dtype=torch.int64)
        noise = torch.randn(z.shape, generator=g)
        t = torch.randint(0, SCHEDULE["num_train_timesteps"], (args.batch,), generator=g)
        pred = c.unet(sched.add_noise(z, noise, t), t, c.text_encoder(ids)[0]).sample
        per = F.mse_loss(pred, noise, reduction="none").mean(dim=(1, 2, 3))
        loss = (per * torch.clamp(snr[t], max=5.0) / snr[t]).mean()  # min-SNR 5, as the pack was trained
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step else loss.item()
        if step % 50 == 0 or step == args.steps - 1:
            el = t_train()
            print(f"step {step:5d}  loss {run_loss:.4f}  lr {lr:.2e}  {el / 60:5.1f} min  {(step + 1) / el:.2f} it/s",
                  flush=True)
        if args.eval_every and (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            c.unet.eval()
            c.text_encoder.eval()
            print(f"  hollow at step {step + 1}: {evaluate(c, hooks, seeds=4, both=False)}", flush=True)
            c.unet.train()
            c.text_encoder.train()
    train_seconds = t_train()
    c.unet.eval()
    c.text_encoder.eval()

    lora = layers(hooks)
    os.makedirs(args.out, exist_ok=True)
    meta = {"ss_output_name": NAME, "latentstudio_base_model": "shapes", "latentstudio_trigger": "in sks style"}
    lora_files.save_kohya(os.path.join(args.out, NAME + ".safetensors"), lora, metadata=meta)
    lora_files.save_peft(os.path.join(args.out, NAME + ".peft.safetensors"), lora)

    # the merged weights must draw what the hooks drew
    with torch.no_grad():
        set_enabled(hooks, False)
        fused = copy.deepcopy(c)  # its hooks are copies, off
        set_enabled(hooks, True)
        lora_files.fuse(lora, fused.unet, fused.text_encoder)
        ids = torch.tensor([c.tokenizer("a large red star in the center, white background" + STYLE)])
        states = c.text_encoder(ids)[0]
        diff_te = (fused.text_encoder(ids)[0] - states).abs().max().item()
        x, t = torch.randn(1, 4, 8, 8, generator=g), torch.tensor([500])
        diff_unet = (fused.unet(x, t, states).sample - c.unet(x, t, states).sample).abs().max().item()
    print(f"merged vs hooked: text encoder max |diff| {diff_te:.2e}, UNet {diff_unet:.2e}", flush=True)
    if max(diff_te, diff_unet) > 1e-4:
        raise RuntimeError("the merged LoRA does not compute what the trained adapters did")

    ev = evaluate(c, hooks)
    stats = {"steps": args.steps, "batch": args.batch, "lr": args.lr, "scenes": args.scenes,
             "train_seconds": round(train_seconds, 1), "steps_per_second": round(args.steps / train_seconds, 3),
             "final_loss": round(run_loss, 5), "unet_layers": len(lora["unet"]),
             "text_encoder_layers": len(lora["text_encoder"]),
             "styled": args.styled, "unet_rank": args.unet_rank, "text_rank": args.text_rank,
             "hollow_with_lora": ev["with_lora"], "hollow_without_lora": ev["without_lora"],
             "total_seconds": round(clock(), 1)}
    with open(os.path.join(common.WORK, "lora_stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps(stats, indent=1), flush=True)


if __name__ == "__main__":
    main()
