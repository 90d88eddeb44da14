"""Evaluation of the shapes pack on held-out prompts, through diffusers' txt2img logic.

Samples every held-out prompt (colour x shape x position combinations no training scene contains)
with lsmodels.reference_pipeline (Euler, 20 steps, 64x64, seeded CPU generator) at cfg 5 and cfg 1,
and measures each picture with analyse.Analyser, calibrated on VAE reconstructions of ground-truth
training scenes. Also: the analyser's ceiling (its accuracy on VAE reconstructions of the held-out
scenes), and the negative-prompt test (prompt "a circle", negative "red", 16 and 64 seeds).

Uses the torch weights in work/ (the modules the pack was exported from), or with --pack those of a
written pack (e.g. --pack ../../../assets/models/shapes). Writes work/eval.json,
work/analyser.json and contact sheets work/eval_cfg*.png.

    python3 evaluate.py [--seeds 2] [--checkpoint work/ema_step2000.pt]
"""
from __future__ import annotations

import argparse
import json
import os
import random

import numpy as np
import torch
from PIL import Image

import common
import pack_weights
from analyse import Analyser, score
from dataset import COLOURS, SHAPES, POSITIONS, SIZES, backgrounds_for, heldout_prompts, make_single, render, HELDOUT

from lsmodels import reference_pipeline as rp
from lsmodels.bpe_vocab import Tokenizer
from lsmodels.export import SD15_SCHEDULER_CONFIG
from lsmodels.text_encoder import CLIPLikeTextEncoder, TextEncoderConfig

KEYS = ("colour", "position", "shape", "size", "background")


def load_components(work: str = common.WORK, checkpoint: str = None) -> rp.Components:
    from diffusers import AutoencoderKL, UNet2DConditionModel
    tok = Tokenizer.from_folder(os.path.join(work, "tokenizer"))
    if checkpoint:  # an intermediate EMA checkpoint: modules built from train_unet's configs
        from train_unet import TEXT_CONFIG, make_unet
        ck = torch.load(checkpoint)
        te = CLIPLikeTextEncoder(TextEncoderConfig(vocab_size=tok.vocab_size, **TEXT_CONFIG))
        te.load_state_dict(ck["text_encoder"])
        unet = make_unet()
        unet.load_state_dict(ck["unet"])
    else:
        te_saved = torch.load(os.path.join(work, "text_encoder_ema.pt"))
        te = CLIPLikeTextEncoder(TextEncoderConfig(**te_saved["config"]))
        te.load_state_dict(te_saved["state_dict"])
        unet = UNet2DConditionModel.from_pretrained(os.path.join(work, "unet_ema"))
    vae = AutoencoderKL.from_pretrained(os.path.join(work, "vae"))
    for m in (te, unet, vae):
        m.eval()
    return rp.Components(tok, te, unet, vae, dict(SD15_SCHEDULER_CONFIG))


@torch.no_grad()
def reconstruct(vae, images: np.ndarray) -> np.ndarray:
    x = common.to_tensor(images)
    return common.to_uint8(vae.decode(vae.encode(x).latent_dist.mode()).sample)


def calibration_scenes(n: int, seed: int):
    """Single-shape training scenes (no held-out triple), balanced over shape and size."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        shape, size = SHAPES[len(out) % 5], SIZES[(len(out) // 5) % 2]
        colour, pos = rng.choice(list(COLOURS)), rng.choice(POSITIONS)
        if (colour, shape, pos) in HELDOUT:
            continue
        bg = rng.choice(backgrounds_for(colour))
        out.append((make_single(colour, shape, pos, size, bg, rng),
                    dict(colour=colour, shape=shape, position=pos, size=size, background=bg)))
    return out


def sample(c: rp.Components, prompt: str, seed: int, cfg: float, negative: str = None) -> np.ndarray:
    r = rp.txt2img(c, prompt, negative_prompt=negative, seed=seed, steps=20, guidance_scale=cfg,
                   sampler="euler", width=64, height=64)
    return np.asarray(r.image.convert("RGB"))


def sheet(images, path, cols=10):
    rows = (len(images) + cols - 1) // cols
    s = Image.new("RGB", (cols * 66, rows * 66), (90, 90, 90))
    for i, im in enumerate(images):
        s.paste(Image.fromarray(im), ((i % cols) * 66 + 1, (i // cols) * 66 + 1))
    s.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2, help="seeds per held-out prompt")
    ap.add_argument("--cfg", type=float, nargs="*", default=[5.0, 1.0])
    ap.add_argument("--checkpoint", default=None, help="an ema_step*.pt from train_unet.py instead of the final EMA")
    ap.add_argument("--pack", default=None, help="a written pack's safetensors (pack_weights) instead of work/")
    ap.add_argument("--out", default=os.path.join(common.WORK, "eval.json"))
    ap.add_argument("--no-negative", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    common.setup(0)
    torch.set_num_threads(args.threads)
    clock = common.Clock()
    c = pack_weights.load_pack(args.pack) if args.pack else load_components(checkpoint=args.checkpoint)

    # 1. calibrate the analyser on VAE reconstructions of ground-truth training scenes
    cal = calibration_scenes(600, seed=11)
    cal_rec = reconstruct(c.vae, np.stack([render(s) for s, _ in cal]))
    an = Analyser()
    an.calibrate(cal_rec, [t for _, t in cal])
    with open(os.path.join(common.WORK, "analyser.json"), "w") as f:
        json.dump(an.to_json(), f)

    # 2. ceiling: the analyser on ground truth and on reconstructions of the held-out scenes
    prompts = heldout_prompts()
    truth = [p for p in prompts for _ in range(args.seeds)]
    gt_rng = random.Random(3)
    gt = np.stack([render(make_single(p["colour"], p["shape"], p["position"], p["size"], p["background"], gt_rng))
                   for p in truth])
    gt_rec = reconstruct(c.vae, gt)
    results = {
        "prompts": len(prompts), "seeds_per_prompt": args.seeds, "images_per_cfg": len(truth),
        "sampler": "euler", "steps": 20, "size": 64, "checkpoint": args.checkpoint or "final EMA",
        "analyser_size_threshold": an.size_threshold,
        "ceiling_ground_truth": score([an.measure(im) for im in gt], truth, KEYS),
        "ceiling_vae_reconstruction": score([an.measure(im) for im in gt_rec], truth, KEYS),
        "psnr_heldout_reconstruction_db": round(common.psnr(gt, gt_rec), 2),
    }
    print("ceiling (ground truth)", results["ceiling_ground_truth"], flush=True)
    print("ceiling (VAE reconstruction)", results["ceiling_vae_reconstruction"], flush=True)

    # 3. held-out prompts at each cfg
    per_prompt = []
    for cfg in args.cfg:
        imgs, measured = [], []
        for k, p in enumerate(truth):
            img = sample(c, p["prompt"], seed=k % args.seeds, cfg=cfg)
            imgs.append(img)
            measured.append(an.measure(img))
        s = score(measured, truth, KEYS)
        results[f"cfg{cfg:g}"] = s
        print(f"cfg {cfg:g}: " + "  ".join(f"{k} {v:.0%}" for k, v in s.items()) + f"  ({clock() / 60:.1f} min)",
              flush=True)
        sheet(imgs, os.path.join(common.WORK, f"eval_cfg{cfg:g}.png"))
        for p, m in zip(truth, measured):
            per_prompt.append({"cfg": cfg, "prompt": p["prompt"], **{f"got_{k}": m.get(k) for k in KEYS}})
        # confusion of shapes, for the report
        conf = {a: {b: 0 for b in SHAPES} for a in SHAPES}
        for p, m in zip(truth, measured):
            if m.get("shape"):
                conf[p["shape"]][m["shape"]] += 1
        results[f"cfg{cfg:g}_shape_confusion"] = conf

    # 4. negative prompt: "a circle" with and without negative "red"
    if not args.no_negative:
        neg = {}
        for n_seeds in (16, 64):
            plain = [an.measure(sample(c, "a circle", seed=s, cfg=5.0)) for s in range(n_seeds)]
            negd = [an.measure(sample(c, "a circle", seed=s, cfg=5.0, negative="red")) for s in range(n_seeds)]
            neg[f"seeds{n_seeds}"] = {
                "red_without_negative": sum(m.get("colour") == "red" for m in plain),
                "red_with_negative_red": sum(m.get("colour") == "red" for m in negd),
                "circles_without_negative": sum(m.get("shape") == "circle" for m in plain),
                "circles_with_negative_red": sum(m.get("shape") == "circle" for m in negd),
            }
            print(f"negative prompt, {n_seeds} seeds: {neg[f'seeds{n_seeds}']}", flush=True)
        results["negative_prompt_red"] = neg
    results["seconds"] = round(clock(), 1)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.splitext(args.out)[0] + "_per_prompt.json", "w") as f:
        json.dump(per_prompt, f, indent=0)
    print(f"evaluation done in {clock() / 60:.1f} min -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
