"""Stage 2: the text encoder and the UNet of the shapes pack, trained together on VAE latents.

SD1.5's noise schedule (scaled_linear betas 0.00085-0.012, 1000 steps, epsilon prediction), captions
replaced by the empty prompt 10% of the time for classifier-free guidance, EMA weights. The tokenizer
is a CLIP-format BPE vocabulary learnt from the caption words (lsmodels.bpe_vocab).

Needs work/vae from train_vae.py. Writes work/tokenizer/, work/unet_ema/ (diffusers), work/unet/ (raw),
work/text_encoder_ema.pt, work/text_encoder.pt and work/unet_stats.json.

    python3 train_unet.py [--steps 5000]
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random

import numpy as np
import torch
import torch.nn.functional as F

import common
from dataset import caption_corpus, random_caption, vocabulary_words
from lsmodels import bpe_vocab
from lsmodels.text_encoder import CLIPLikeTextEncoder, TextEncoderConfig

# Cross-attention at both levels (8x8 and 4x4). A first run with (64, 128) and cross-attention at 4x4
# only drew colour and shape right by step 2,000 but ignored the position words (22% position, no
# better than at step 1,000); the words need to reach the 8x8 level, where the shapes are placed.
UNET_CONFIG = dict(
    sample_size=8, in_channels=4, out_channels=4, layers_per_block=1,
    block_out_channels=(32, 64),
    down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=64, attention_head_dim=2, norm_num_groups=8,
)
TEXT_CONFIG = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=2)
SCHEDULE = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                prediction_type="epsilon")


def make_unet():
    from diffusers import UNet2DConditionModel
    return UNet2DConditionModel(**UNET_CONFIG)


def build_tokenizer():
    """CLIP-format vocabulary over the caption words: merges until every word is one token."""
    texts = vocabulary_words() + caption_corpus(2000, seed=0)
    vocab, merges = bpe_vocab.build_vocab(texts)
    return vocab, merges, bpe_vocab.Tokenizer(vocab, merges)


@torch.no_grad()
def encode_latents(vae, images: np.ndarray, batch: int = 256):
    """Posterior mean and std of every image (unscaled), so training can draw latent samples cheaply."""
    means, stds = [], []
    for i in range(0, len(images), batch):
        d = vae.encode(common.to_tensor(images[i:i + batch])).latent_dist
        means.append(d.mean)
        stds.append(d.std)
    return torch.cat(means), torch.cat(stds)


def lr_at(step, steps, peak, warmup, floor):
    if step < warmup:
        return peak * (step + 1) / warmup
    p = (step - warmup) / max(1, steps - warmup)
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * p))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4500)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--ema", type=float, default=0.995)
    ap.add_argument("--uncond", type=float, default=0.1)
    ap.add_argument("--min-snr", type=float, default=5.0, help="min-SNR loss weighting gamma (0: plain MSE)")
    ap.add_argument("--save-every", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-images", type=int, default=0, help="smoke tests: use only the first N scenes")
    ap.add_argument("--init", default=None,
                    help="continue from the outputs of an earlier run in this folder (weights, tokenizer, latents)")
    ap.add_argument("--t-min", type=int, default=0, help="train only on timesteps >= t-min")
    ap.add_argument("--x0-weight-max", type=float, default=0.0,
                    help="weight the epsilon loss by clamp(1/SNR, 1, max), i.e. towards an x0 loss at high noise")
    ap.add_argument("--warmup", type=int, default=100)
    args = ap.parse_args()
    common.setup(args.seed)
    clock = common.Clock()

    from diffusers import AutoencoderKL, DDPMScheduler
    vae = AutoencoderKL.from_pretrained(os.path.join(common.WORK, "vae")).eval()
    scaling = vae.config.scaling_factor
    images, _, scenes = common.training_set()
    if args.max_images:
        images, scenes = images[:args.max_images], scenes[:args.max_images]
    lat_path = os.path.join(common.WORK, "latents.pt")
    t = common.Clock()
    if args.init:
        saved = torch.load(os.path.join(args.init, "latents.pt"))
        mean, std = saved["mean"], saved["std"]
    else:
        mean, std = encode_latents(vae, images)
        torch.save({"mean": mean, "std": std, "scaling_factor": scaling}, lat_path)
    encode_seconds = t()
    print(f"encoded {len(images)} images in {encode_seconds:.1f}s; latent mean std {(mean * scaling).std():.3f}",
          flush=True)
    del vae

    vocab, merges, tok = build_tokenizer()
    bpe_vocab.write_vocab(os.path.join(common.WORK, "tokenizer"), vocab, merges)
    print(f"vocabulary: {len(vocab)} tokens ({len(merges)} merges), BOS {tok.bos_token_id}, EOS {tok.eos_token_id}",
          flush=True)
    for w in vocabulary_words():
        assert len(tok.encode(w)) == 1, w

    te_cfg = TextEncoderConfig(vocab_size=len(vocab), **TEXT_CONFIG)
    text_encoder = CLIPLikeTextEncoder(te_cfg)
    unet = make_unet()
    if args.init:
        from diffusers import UNet2DConditionModel
        unet = UNet2DConditionModel.from_pretrained(os.path.join(args.init, "unet_ema"))
        text_encoder.load_state_dict(torch.load(os.path.join(args.init, "text_encoder_ema.pt"))["state_dict"])
        print(f"continuing from {args.init}", flush=True)
    n_te = sum(p.numel() for p in text_encoder.parameters())
    n_unet = sum(p.numel() for p in unet.parameters())
    print(f"text encoder {n_te / 1e3:.0f} k parameters, UNet {n_unet / 1e6:.2f} M parameters", flush=True)
    ema_te, ema_unet = copy.deepcopy(text_encoder).eval(), copy.deepcopy(unet).eval()
    for p in list(ema_te.parameters()) + list(ema_unet.parameters()):
        p.requires_grad_(False)

    sched = DDPMScheduler(**SCHEDULE)
    alphas_cumprod = sched.alphas_cumprod
    snr = alphas_cumprod / (1 - alphas_cumprod)

    params = list(text_encoder.parameters()) + list(unet.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    g = torch.Generator().manual_seed(args.seed)
    rng = random.Random(args.seed)
    n = len(scenes)

    text_encoder.train()
    unet.train()
    t_train = common.Clock()
    run_loss = 0.0
    for step in range(args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args.steps, args.lr, args.warmup, args.lr * 0.05)
        idx = torch.randint(0, n, (args.batch,), generator=g)
        z = (mean[idx] + std[idx] * torch.randn(mean[idx].shape, generator=g)) * scaling
        captions = ["" if rng.random() < args.uncond else random_caption(scenes[i], rng) for i in idx.tolist()]
        ids = torch.tensor([tok(c) for c in captions], dtype=torch.int64)
        noise = torch.randn(z.shape, generator=g)
        timesteps = torch.randint(args.t_min, SCHEDULE["num_train_timesteps"], (args.batch,), generator=g)
        noisy = sched.add_noise(z, noise, timesteps)
        states = text_encoder(ids)[0]
        pred = unet(noisy, timesteps, states).sample
        per = F.mse_loss(pred, noise, reduction="none").mean(dim=(1, 2, 3))
        if args.x0_weight_max > 0:
            per = per * torch.clamp(1 / snr[timesteps], 1.0, args.x0_weight_max)
        elif args.min_snr > 0:
            s = snr[timesteps]
            per = per * torch.clamp(s, max=args.min_snr) / s
        loss = per.mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        decay = min(args.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            for src, dst in ((text_encoder, ema_te), (unet, ema_unet)):
                for ps, pd in zip(src.parameters(), dst.parameters()):
                    pd.mul_(decay).add_(ps.detach(), alpha=1 - decay)
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step else loss.item()
        if step % 50 == 0 or step == args.steps - 1:
            el = t_train()
            print(f"step {step:5d}  loss {run_loss:.4f}  lr {opt.param_groups[0]['lr']:.2e}  "
                  f"{el / 60:5.1f} min  {(step + 1) / el:.2f} it/s", flush=True)
        if args.save_every and (step + 1) % args.save_every == 0 and step + 1 < args.steps:
            torch.save({"text_encoder": ema_te.state_dict(), "unet": ema_unet.state_dict()},
                       os.path.join(common.WORK, f"ema_step{step + 1}.pt"))
    train_time = t_train()

    ema_unet.save_pretrained(os.path.join(common.WORK, "unet_ema"), safe_serialization=False)
    unet.save_pretrained(os.path.join(common.WORK, "unet"), safe_serialization=False)
    torch.save({"config": te_cfg.__dict__, "state_dict": ema_te.state_dict()},
               os.path.join(common.WORK, "text_encoder_ema.pt"))
    torch.save({"config": te_cfg.__dict__, "state_dict": text_encoder.state_dict()},
               os.path.join(common.WORK, "text_encoder.pt"))
    stats = {
        "steps": args.steps, "batch": args.batch, "train_seconds": round(train_time, 1),
        "steps_per_second": round(args.steps / train_time, 3), "final_loss": round(run_loss, 5),
        "unet_parameters": n_unet, "text_encoder_parameters": n_te, "vocab_size": len(vocab),
        "merges": len(merges), "bos_token_id": tok.bos_token_id, "eos_token_id": tok.eos_token_id,
        "encode_seconds": round(encode_seconds, 1), "total_seconds": round(clock(), 1),
        "lr": args.lr, "ema": args.ema, "uncond": args.uncond, "min_snr": args.min_snr,
        "init": args.init, "t_min": args.t_min, "x0_weight_max": args.x0_weight_max,
    }
    with open(os.path.join(common.WORK, "unet_stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps(stats, indent=1), flush=True)
    print(f"UNet done in {clock() / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
