"""Measures a 64x64 shapes picture with simple statistics: background, dominant colour, position, size, shape.

- background: median of the outer 2-pixel frame, nearest background colour
- foreground: pixels farther than FG_DISTANCE from the background colour; the largest connected blob
- colour: vote of the nearest palette colour over the blob's core pixels (those well away from the
  background), the background colour itself excluded
- position: blob centroid relative to the image centre (center when within CENTER_RADIUS)
- size and shape: calibrated on VAE reconstructions of ground-truth scenes (`Analyser.calibrate`), so
  that the VAE's blur is part of the reference: a threshold on sqrt(area), and templates (mean
  centred, scale-normalised masks per shape and size) matched by correlation.
"""
from __future__ import annotations

import json
from typing import Dict, List, Sequence

import numpy as np
from scipy import ndimage

from dataset import BACKGROUNDS, COLOURS, POSITIONS, SHAPES, SIZES

FG_DISTANCE = 60.0
CENTER_RADIUS = 6.0
GRID = 20       # template resolution
SPAN = 1.5      # template half-width, in units of sqrt(area)

_PALETTE_NAMES = list(COLOURS)
_PALETTE = np.array([COLOURS[c] for c in _PALETTE_NAMES], dtype=np.float32)
_BG_NAMES = list(BACKGROUNDS)
_BG = np.array([BACKGROUNDS[b] for b in _BG_NAMES], dtype=np.float32)


def _nearest(rgb: np.ndarray, table: np.ndarray) -> np.ndarray:
    return np.argmin(((rgb[..., None, :] - table) ** 2).sum(-1), axis=-1)


def background(img: np.ndarray):
    frame = np.concatenate([img[:2].reshape(-1, 3), img[-2:].reshape(-1, 3),
                            img[:, :2].reshape(-1, 3), img[:, -2:].reshape(-1, 3)]).astype(np.float32)
    bg = np.median(frame, axis=0)
    return bg, _BG_NAMES[int(_nearest(bg, _BG))]


def foreground(img: np.ndarray, bg: np.ndarray):
    """(hard mask of the largest blob, distance-to-background map)."""
    dist = np.sqrt(((img.astype(np.float32) - bg) ** 2).sum(-1))
    mask = dist > FG_DISTANCE
    labels, n = ndimage.label(mask)
    if n > 1:
        sizes = ndimage.sum(mask, labels, index=np.arange(1, n + 1))
        mask = labels == (1 + int(np.argmax(sizes)))
    return mask, dist


def position_of(cx: float, cy: float) -> str:
    dx, dy = cx - 31.5, cy - 31.5
    if max(abs(dx), abs(dy)) < CENTER_RADIUS:
        return "center"
    if abs(dx) >= abs(dy):
        return "left" if dx < 0 else "right"
    return "top" if dy < 0 else "bottom"


def shape_features(mask: np.ndarray, cx: float, cy: float) -> np.ndarray:
    """The mask around its centroid, resampled to GRID x GRID over +-SPAN*sqrt(area), zero-mean unit-norm."""
    r = SPAN * np.sqrt(max(mask.sum(), 1.0))
    lin = np.linspace(-r, r, GRID)
    ys, xs = np.meshgrid(cy + lin, cx + lin, indexing="ij")
    f = ndimage.map_coordinates(mask.astype(np.float32), [ys, xs], order=1, mode="constant").ravel()
    f = f - f.mean()
    return f / (np.linalg.norm(f) + 1e-6)


class Analyser:
    def __init__(self, templates: Dict[str, np.ndarray] = None, size_threshold: float = 22.0):
        self.templates = templates or {}
        self.size_threshold = size_threshold

    def measure(self, img: np.ndarray) -> dict:
        bg, bg_name = background(img)
        mask, dist = foreground(img, bg)
        out = {"background": bg_name, "area": int(mask.sum())}
        if mask.sum() < 4:
            out.update(colour=None, position=None, size=None, shape=None)
            return out
        ys, xs = np.nonzero(mask)
        cx, cy = float(xs.mean()), float(ys.mean())
        core = mask & (dist >= 0.6 * dist[mask].max())
        pix = img[core].astype(np.float32)
        d = ((pix[:, None, :] - _PALETTE) ** 2).sum(-1)
        if bg_name in _PALETTE_NAMES:
            d[:, _PALETTE_NAMES.index(bg_name)] = np.inf
        votes = np.bincount(np.argmin(d, axis=1), minlength=len(_PALETTE_NAMES))
        out["colour"] = _PALETTE_NAMES[int(np.argmax(votes))]
        out["colour_share"] = float(votes.max() / max(1, votes.sum()))
        out["cx"], out["cy"] = cx, cy
        out["position"] = position_of(cx, cy)
        out["size"] = "large" if np.sqrt(mask.sum()) > self.size_threshold else "small"
        if self.templates:
            f = shape_features(mask, cx, cy)
            scores = {k: float(f @ t) for k, t in self.templates.items()}
            best = max(scores, key=scores.get)
            out["shape"] = best.split("/")[0]
            out["shape_score"] = scores[best]
        else:
            out["shape"] = None
        return out

    def calibrate(self, images: Sequence[np.ndarray], truths: Sequence[dict]) -> None:
        """Templates per shape/size and the size threshold from (reconstructed) pictures of known scenes."""
        feats: Dict[str, List[np.ndarray]] = {}
        roots = {s: [] for s in SIZES}
        for img, t in zip(images, truths):
            bg, _ = background(img)
            mask, _ = foreground(img, bg)
            if mask.sum() < 4:
                continue
            ys, xs = np.nonzero(mask)
            feats.setdefault(f"{t['shape']}/{t['size']}", []).append(shape_features(mask, xs.mean(), ys.mean()))
            roots[t["size"]].append(np.sqrt(mask.sum()))
        self.templates = {}
        for k, fs in feats.items():
            m = np.mean(fs, axis=0)
            m = m - m.mean()
            self.templates[k] = m / np.linalg.norm(m)
        # threshold: the midpoint that misclassifies fewest calibration sizes
        small, large = np.array(roots["small"]), np.array(roots["large"])
        cands = np.linspace(min(small.min(), large.min()), max(small.max(), large.max()), 200)
        errs = [(small > c).sum() + (large <= c).sum() for c in cands]
        best = np.flatnonzero(errs == np.min(errs))
        self.size_threshold = float(cands[best].mean())

    def to_json(self) -> dict:
        return {"size_threshold": self.size_threshold,
                "templates": {k: v.round(5).tolist() for k, v in self.templates.items()}}


def score(measured: Sequence[dict], truths: Sequence[dict], keys=("colour", "position", "shape", "size", "background")) -> dict:
    out = {}
    for k in keys:
        out[k] = float(np.mean([m.get(k) == t[k] for m, t in zip(measured, truths)]))
    return out
