#!/usr/bin/env bash
# Trains and exports the whole shapes pack on the CPU: VAE; text encoder + UNet; a continuation of both
# that weights the high-noise steps (where the layout, i.e. the position words, is decided); then the
# evaluation and the export. Seeded; each stage prints progress and run time.
#   bash src/python/shapes/train.sh          logs and weights in src/python/shapes/work/, pack to assets/models/shapes/
#   SHAPES_WORK=/tmp/w PACK_OUT=/tmp/pack bash src/python/shapes/train.sh    (a run that leaves the repo alone)
set -euo pipefail
cd "$(dirname "$0")"
source ./env.sh
work=${SHAPES_WORK:-$PWD/work}
pack=${PACK_OUT:-}
mkdir -p "$work"
start=$(date +%s)
SHAPES_WORK="$work" $PY train_vae.py --steps "${VAE_STEPS:-2000}" 2>&1 | tee "$work/train_vae.log"
SHAPES_WORK="$work" $PY train_unet.py --steps "${UNET_STEPS:-4500}" 2>&1 | tee "$work/train_unet.log"
# stage 2b, in $work/ft: from the EMA weights of stage 2, timesteps >= 500 only, epsilon loss weighted by
# clamp(1/SNR, 1, 50) (an x0 loss at high noise), so that the UNet learns to follow the position words
mkdir -p "$work/ft" && ln -sfn ../vae "$work/ft/vae" && cp "$work/vae_stats.json" "$work/ft/"
SHAPES_WORK="$work/ft" $PY train_unet.py --init "$work" --steps "${FT_STEPS:-800}" --lr 3e-4 \
  --t-min 500 --x0-weight-max 50 --warmup 20 --save-every 0 2>&1 | tee "$work/ft/train_unet.log"
echo "training wall time: $(( $(date +%s) - start )) s"
SHAPES_WORK="$work/ft" $PY evaluate.py 2>&1 | tee "$work/ft/evaluate.log"
SHAPES_WORK="$work/ft" $PY export_pack.py ${pack:+--out "$pack"} 2>&1 | tee "$work/ft/export.log"
