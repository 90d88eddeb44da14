"""Training data for the pack's ControlNet and IP-Adapter: single shapes placed anywhere (not only at the five
caption positions), their silhouettes and outlines, VAE latents from the pack's own VAE, and captions that leave
out what the add-on is meant to supply (the position for the ControlNet, the colour and shape for the
IP-Adapter)."""
from __future__ import annotations

import random

import numpy as np
import torch
from PIL import Image, ImageFilter

import common
from dataset import (BACKGROUNDS, COLOURS, POSITION_PHRASES, SHAPES, SIZES, Item, Scene, backgrounds_for,
                     render, render_mask)

SCHEDULE = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                prediction_type="epsilon")


def nearest_position(cx: float, cy: float) -> str:
    dx, dy = cx - 32, cy - 32
    if abs(dx) < 6 and abs(dy) < 6:
        return "center"
    if abs(dx) >= abs(dy):
        return "left" if dx < 0 else "right"
    return "top" if dy < 0 else "bottom"


def placed_scene(rng: random.Random) -> Scene:
    """One shape of random colour, kind and size, centred anywhere it fits, on a background that contrasts."""
    colour = rng.choice(list(COLOURS))
    bg = rng.choice(backgrounds_for(colour))
    size = rng.choice(SIZES)
    margin = 14 if size == "small" else 20
    cx, cy = rng.uniform(margin, 64 - margin), rng.uniform(margin, 64 - margin)
    return Scene((Item(colour, rng.choice(SHAPES), nearest_position(cx, cy), size, cx, cy),), bg)


def outline(mask: np.ndarray) -> np.ndarray:
    """The silhouette's rim, about 2 px wide, as a canny or line-art control image looks."""
    m = Image.fromarray((mask * 255).astype(np.uint8))
    inner = np.asarray(m.filter(ImageFilter.MinFilter(5)), dtype=np.float32) / 255
    return np.clip(mask - inner, 0, 1)


def control_image(mask: np.ndarray, kind: str) -> np.ndarray:
    """[64, 64, 3] in 0-1: the white silhouette (or outline) on black."""
    m = mask if kind == "silhouette" else outline(mask)
    return np.repeat(m[:, :, None], 3, axis=2).astype(np.float32)


def caption(scene: Scene, rng: random.Random, colour_p: float, shape_p: float, position_p: float,
            background_p: float = 0.6) -> str:
    it = scene.items[0]
    words = []
    if rng.random() < 0.5:
        words.append(it.size)
    if rng.random() < colour_p:
        words.append(it.colour)
    words.append(it.shape if rng.random() < shape_p else "shape")
    if rng.random() < position_p:
        words.append(POSITION_PHRASES[it.position])
    text = ("an " if words[0][0] in "aeiou" else "a ") + " ".join(words)
    if rng.random() < background_p:
        text += f", {scene.background} background"
    return text


@torch.no_grad()
def dataset(vae, n: int, seed: int):
    """n scenes: images uint8 [n, 64, 64, 3], masks float [n, 64, 64], latent posterior mean and std."""
    rng = random.Random(seed)
    scenes = [placed_scene(rng) for _ in range(n)]
    images = np.stack([render(s) for s in scenes])
    masks = np.stack([render_mask(s) for s in scenes]).astype(np.float32)
    means, stds = [], []
    for i in range(0, n, 256):
        d = vae.encode(common.to_tensor(images[i:i + 256])).latent_dist
        means.append(d.mean)
        stds.append(d.std)
    return scenes, images, masks, torch.cat(means), torch.cat(stds)


def min_snr_weights(alphas_cumprod: torch.Tensor, timesteps: torch.Tensor, gamma: float = 5.0):
    snr = alphas_cumprod[timesteps] / (1 - alphas_cumprod[timesteps])
    return torch.clamp(snr, max=gamma) / snr
