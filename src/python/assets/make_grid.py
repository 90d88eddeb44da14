"""Tiles pictures made by Latent Studio into the README's example grid (assets/shapes-grid.png).

Usage, from the repository root, after rendering the prompts listed in GRID_PROMPTS with the CLI
(see the README's "The bundled model" section for the exact command):
  /usr/bin/python3 src/python/assets/make_grid.py out/grid/*.png
Each picture is scaled up 3x with nearest-neighbour filtering, so the pixels the model made stay visible.
"""
import sys
from pathlib import Path

from PIL import Image

COLUMNS = 4
SCALE = 3
GAP = 4


def main(paths):
    images = [Image.open(p).convert("RGB") for p in sorted(paths)]
    if not images:
        sys.exit("no pictures given")
    w, h = images[0].size
    cell_w, cell_h = w * SCALE, h * SCALE
    rows = (len(images) + COLUMNS - 1) // COLUMNS
    grid = Image.new("RGB", (COLUMNS * cell_w + (COLUMNS + 1) * GAP, rows * cell_h + (rows + 1) * GAP), (24, 26, 30))
    for i, img in enumerate(images):
        x = GAP + (i % COLUMNS) * (cell_w + GAP)
        y = GAP + (i // COLUMNS) * (cell_h + GAP)
        grid.paste(img.resize((cell_w, cell_h), Image.NEAREST), (x, y))
    out = Path("assets/shapes-grid.png")
    grid.save(out, optimize=True)
    print(f"{out}: {len(images)} pictures, {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
