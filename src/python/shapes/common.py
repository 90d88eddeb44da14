"""Paths, seeds and the cached training set shared by the shapes scripts."""
from __future__ import annotations

import os
import pickle
import random
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get("SHAPES_WORK", os.path.join(HERE, "work"))  # override for smoke tests
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PACK = os.path.join(REPO, "assets", "models", "shapes")

TRAIN_SCENES = 24000
TRAIN_SEED = 1


def setup(seed: int) -> None:
    """Two threads (torch defaults to one here), fixed seeds."""
    torch.set_num_threads(2)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.makedirs(WORK, exist_ok=True)


def training_set():
    """(uint8 images [n, 64, 64, 3], fg masks float16 [n, 64, 64], scenes), rendered once and cached."""
    from dataset import render_dataset, render_mask
    path = os.path.join(os.path.join(HERE, "work"), f"train_{TRAIN_SCENES}_{TRAIN_SEED}.pkl")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        with open(path, "rb") as f:
            return pickle.load(f)
    t = time.time()
    images, scenes = render_dataset(TRAIN_SCENES, TRAIN_SEED)
    masks = np.stack([render_mask(s) for s in scenes]).astype(np.float16)
    with open(path, "wb") as f:
        pickle.dump((images, masks, scenes), f, protocol=4)
    print(f"rendered {len(scenes)} scenes in {time.time() - t:.1f}s", flush=True)
    return images, masks, scenes


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [n, h, w, 3] -> float [n, 3, h, w] in [-1, 1]."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """float [n, 3, h, w] in [-1, 1] -> uint8 [n, h, w, 3], as diffusers' postprocess rounds."""
    return (x / 2 + 0.5).clamp(0, 1).permute(0, 2, 3, 1).mul(255).round().to(torch.uint8).numpy()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """PSNR in dB between uint8 images, over the whole set."""
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / mse))


class Clock:
    def __init__(self):
        self.t0 = time.time()

    def __call__(self) -> float:
        return time.time() - self.t0
