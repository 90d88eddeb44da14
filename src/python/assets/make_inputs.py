"""Writes the example input pictures for graphs/img2img.json and graphs/inpaint.json into assets/inputs/.

Scenes come from the shapes pack's own renderer, so the bundled model knows them:
  red-circle.png                  a large red circle in the center, white background
  red-circle-right-masked.png     a small red circle on the left, white background; the right half is
                                  transparent, which LoadImage turns into the inpainting mask

Run from the repository root: PYTHONPATH=src/python /usr/bin/python3 src/python/assets/make_inputs.py
"""
import random
from pathlib import Path

from PIL import Image

from shapes.dataset import make_single, render

OUT = Path("assets/inputs")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    Image.fromarray(render(make_single("red", "circle", "center", "large", "white", rng))).save(OUT / "red-circle.png")
    left = Image.fromarray(render(make_single("red", "circle", "left", "small", "white", rng))).convert("RGBA")
    w, h = left.size
    for y in range(h):
        for x in range(w // 2, w):
            r, g, b, _ = left.getpixel((x, y))
            left.putpixel((x, y), (r, g, b, 0))
    left.save(OUT / "red-circle-right-masked.png")


if __name__ == "__main__":
    main()
