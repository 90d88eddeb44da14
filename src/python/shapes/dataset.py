"""Procedural scenes for the "shapes" pack: one or two flat shapes on a plain background, with captions.

Scenes are drawn with PIL at 4x and box-downsampled to 64x64. Every scene is a `Scene` record
(structured fields), so captions can be re-worded at training time and pictures can be checked at
evaluation time against the same fields.

Held-out combinations: one colour for each (shape, position) pair, 25 colour x shape x position
triples that no training scene contains, in any slot of a one- or two-shape scene.
"""
from __future__ import annotations

import dataclasses
import json
import random
from typing import Iterable, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

SIZE = 64
SUPERSAMPLE = 4

SHAPES = ("circle", "square", "triangle", "star", "ring")
COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 170, 50),
    "blue": (40, 70, 230),
    "yellow": (250, 225, 30),
    "purple": (150, 50, 200),
    "orange": (255, 140, 0),
    "white": (255, 255, 255),
    "black": (0, 0, 0),
}
BACKGROUNDS = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "gray": (128, 128, 128),
    "blue": (40, 70, 230),
}
# shape colour -> backgrounds it must not be drawn on (same colour, or too little contrast)
LOW_CONTRAST = {"white": {"white"}, "black": {"black"}, "blue": {"blue"}, "purple": {"blue"}}
POSITIONS = ("left", "right", "top", "bottom", "center")
POSITION_PHRASES = {"left": "on the left", "right": "on the right", "top": "at the top",
                    "bottom": "at the bottom", "center": "in the center"}
SIZES = ("small", "large")
# "radius" of a shape in 64x64 pixels: small shapes are kept at about 11 px so the 8x8 latent holds them
RADIUS = {"small": 11.0, "large": 18.0}
PAIR_RADIUS = 11.0
# distance of the shape centre from the image centre, by size (a large shape at the edge would be cut)
OFFSET = {"small": 17.0, "large": 11.0}
PAIR_OFFSET = 16.0
JITTER = 2.0
DIRECTIONS = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1), "center": (0, 0)}


def heldout_triples() -> List[Tuple[str, str, str]]:
    """25 (colour, shape, position) triples: each (shape, position) pair once, colours in turn."""
    colours = list(COLOURS)
    out = []
    for i, shape in enumerate(SHAPES):
        for j, pos in enumerate(POSITIONS):
            out.append((colours[(3 * i + j) % len(colours)], shape, pos))
    return out


HELDOUT = frozenset(heldout_triples())


def backgrounds_for(colour: str) -> List[str]:
    return [b for b in BACKGROUNDS if b not in LOW_CONTRAST.get(colour, set())]


@dataclasses.dataclass(frozen=True)
class Item:
    colour: str
    shape: str
    position: str
    size: str          # "small" / "large"; pairs use "small" but their captions carry no size
    cx: float          # centre in 64x64 pixels
    cy: float


@dataclasses.dataclass(frozen=True)
class Scene:
    items: Tuple[Item, ...]
    background: str

    def caption(self) -> str:
        return caption(self)


def _polygon_star(cx, cy, r_out, r_in, points=5):
    pts = []
    for k in range(points * 2):
        a = -np.pi / 2 + k * np.pi / points
        r = r_out if k % 2 == 0 else r_in
        pts.append((cx + r * np.cos(a), cy + r * np.sin(a)))
    return pts


def draw_shape(draw: ImageDraw.ImageDraw, shape: str, cx: float, cy: float, r: float, fill, bg) -> None:
    """Draws one shape; coordinates already in supersampled pixels."""
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif shape == "square":
        h = 0.85 * r
        draw.rectangle([cx - h, cy - h, cx + h, cy + h], fill=fill)
    elif shape == "triangle":
        R = 1.2 * r  # circumradius; centroid at (cx, cy), apex up
        pts = [(cx + R * np.cos(a), cy + R * np.sin(a) + 0.1 * r)
               for a in (-np.pi / 2, -np.pi / 2 + 2 * np.pi / 3, -np.pi / 2 + 4 * np.pi / 3)]
        draw.polygon(pts, fill=fill)
    elif shape == "star":
        R = 1.2 * r
        draw.polygon(_polygon_star(cx, cy + 0.08 * r, R, 0.5 * R), fill=fill)
    elif shape == "ring":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
        ri = 0.5 * r
        draw.ellipse([cx - ri, cy - ri, cx + ri, cy + ri], fill=bg)
    else:
        raise ValueError(shape)


def item_radius(item: Item, pair: bool) -> float:
    return PAIR_RADIUS if pair else RADIUS[item.size]


def render(scene: Scene) -> np.ndarray:
    """Scene -> uint8 array [64, 64, 3]."""
    s = SUPERSAMPLE
    bg = BACKGROUNDS[scene.background]
    img = Image.new("RGB", (SIZE * s, SIZE * s), bg)
    d = ImageDraw.Draw(img)
    pair = len(scene.items) > 1
    for it in scene.items:
        draw_shape(d, it.shape, it.cx * s, it.cy * s, item_radius(it, pair) * s, COLOURS[it.colour], bg)
    img = img.resize((SIZE, SIZE), Image.BOX)
    return np.asarray(img, dtype=np.uint8)


def render_mask(scene: Scene) -> np.ndarray:
    """Foreground mask float [64, 64] in [0, 1] (antialiased)."""
    s = SUPERSAMPLE
    img = Image.new("L", (SIZE * s, SIZE * s), 0)
    d = ImageDraw.Draw(img)
    pair = len(scene.items) > 1
    for it in scene.items:
        draw_shape(d, it.shape, it.cx * s, it.cy * s, item_radius(it, pair) * s, 255, 0)
    img = img.resize((SIZE, SIZE), Image.BOX)
    return np.asarray(img, dtype=np.float32) / 255.0


def place(position: str, offset: float, rng: random.Random) -> Tuple[float, float]:
    dx, dy = DIRECTIONS[position]
    c = SIZE / 2
    return (c + dx * offset + rng.uniform(-JITTER, JITTER), c + dy * offset + rng.uniform(-JITTER, JITTER))


def make_single(colour, shape, position, size, background, rng: random.Random) -> Scene:
    cx, cy = place(position, OFFSET[size], rng)
    return Scene((Item(colour, shape, position, size, cx, cy),), background)


def random_scene(rng: random.Random, pair_prob: float = 0.3, exclude=HELDOUT) -> Scene:
    """A random training scene with no excluded (colour, shape, position) triple in it."""
    while True:
        bg = rng.choice(list(BACKGROUNDS))
        ok_colours = [c for c in COLOURS if bg in backgrounds_for(c)]
        if rng.random() < pair_prob:
            axis = rng.choice((("left", "right"), ("top", "bottom")))
            if rng.random() < 0.5:
                axis = axis[::-1]
            c1, c2 = rng.sample(ok_colours, 2)
            s1, s2 = rng.choice(SHAPES), rng.choice(SHAPES)
            if (c1, s1, axis[0]) in exclude or (c2, s2, axis[1]) in exclude:
                continue
            items = []
            for c, sh, pos in ((c1, s1, axis[0]), (c2, s2, axis[1])):
                cx, cy = place(pos, PAIR_OFFSET, rng)
                items.append(Item(c, sh, pos, "small", cx, cy))
            return Scene(tuple(items), bg)
        colour, shape, pos = rng.choice(ok_colours), rng.choice(SHAPES), rng.choice(POSITIONS)
        if (colour, shape, pos) in exclude:
            continue
        return make_single(colour, shape, pos, rng.choice(SIZES), bg, rng)


# ---------------------------------------------------------------------------------------------
# captions

def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def caption(scene: Scene) -> str:
    """The full caption, e.g. "a small red circle on the left, blue background"."""
    if len(scene.items) == 1:
        it = scene.items[0]
        return f"a {it.size} {it.colour} {it.shape} {POSITION_PHRASES[it.position]}, {scene.background} background"
    parts = [f"{article(it.colour)} {it.colour} {it.shape} {POSITION_PHRASES[it.position]}" for it in scene.items]
    return " and ".join(parts) + f", {scene.background} background"


def random_caption(scene: Scene, rng: random.Random) -> str:
    """A caption for training: usually the full one, sometimes with attributes left out, so that
    short prompts ("a circle", "red") mean something too."""
    r = rng.random()
    if r < 0.6:
        return caption(scene)
    if r < 0.93:
        def phrase(it: Item, single: bool) -> str:
            words = []
            if single and rng.random() < 0.6:
                words.append(it.size)
            if rng.random() < 0.75:
                words.append(it.colour)
            words.append(it.shape if rng.random() < 0.85 else "shape")
            if rng.random() < 0.7:
                words.append(POSITION_PHRASES[it.position])
            return article(words[0]) + " " + " ".join(words)
        single = len(scene.items) == 1
        text = " and ".join(phrase(it, single) for it in scene.items)
        if rng.random() < 0.6:
            text += f", {scene.background} background"
        return text
    # keywords: a few attribute words of one item, in order, e.g. "red", "red circle", "circle left"
    it = rng.choice(scene.items)
    words = [w for w in (it.colour, it.shape, it.position) if rng.random() < 0.5]
    if not words:
        words = [rng.choice((it.colour, it.shape))]
    return " ".join(words)


def vocabulary_words() -> List[str]:
    """Every word a caption can contain (what the tokenizer vocabulary is built from)."""
    words = {"a", "an", "and", "background", "shape", ","}
    words.update(SHAPES)
    words.update(COLOURS)
    words.update(BACKGROUNDS)
    words.update(SIZES)
    words.update(POSITIONS)
    for p in POSITION_PHRASES.values():
        words.update(p.split())
    return sorted(words)


def caption_corpus(n: int = 4000, seed: int = 0) -> List[str]:
    rng = random.Random(seed)
    out = [caption(random_scene(rng)) for _ in range(n // 2)]
    out += [random_caption(random_scene(rng), rng) for _ in range(n - n // 2)]
    return out


# ---------------------------------------------------------------------------------------------
# held-out prompts

def heldout_prompts() -> List[dict]:
    """Two prompts per held-out triple (one small, one large), with a background that contrasts."""
    out = []
    for k, (colour, shape, pos) in enumerate(heldout_triples()):
        bgs = backgrounds_for(colour)
        for j, size in enumerate(SIZES):
            bg = bgs[(k + 2 * j) % len(bgs)]
            scene = Scene((Item(colour, shape, pos, size, 0.0, 0.0),), bg)
            out.append({"prompt": caption(scene), "colour": colour, "shape": shape, "position": pos,
                        "size": size, "background": bg})
    return out


def render_dataset(n: int, seed: int, pair_prob: float = 0.3, exclude=HELDOUT):
    """n scenes -> (uint8 images [n, 64, 64, 3], list of Scene)."""
    rng = random.Random(seed)
    scenes = [random_scene(rng, pair_prob, exclude) for _ in range(n)]
    images = np.stack([render(s) for s in scenes])
    return images, scenes


def scenes_for_prompts(prompts: Sequence[dict], seed: int) -> List[Scene]:
    """Ground-truth scenes matching structured prompts (for calibration and ceilings)."""
    rng = random.Random(seed)
    return [make_single(p["colour"], p["shape"], p["position"], p["size"], p["background"], rng) for p in prompts]


if __name__ == "__main__":
    import os
    import sys
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "work")
    os.makedirs(out, exist_ok=True)
    imgs, scenes = render_dataset(64, seed=int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    sheet = Image.new("RGB", (8 * SIZE, 8 * SIZE))
    for i, im in enumerate(imgs):
        sheet.paste(Image.fromarray(im), ((i % 8) * SIZE, (i // 8) * SIZE))
    sheet.save(os.path.join(out, "dataset_sheet.png"))
    for s in scenes[:16]:
        print(caption(s))
    rng = random.Random(1)
    for s in scenes[:10]:
        print("  ", random_caption(s, rng))
    print(json.dumps(heldout_prompts()[:4], indent=1))
    print(vocabulary_words())
