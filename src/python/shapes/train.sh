#!/usr/bin/env bash
# Trains and exports the whole shapes pack on the CPU: VAE, then text encoder + UNet, then evaluation
# and export to assets/models/shapes/. Seeded; each stage prints progress and its run time.
#   bash src/python/shapes/train.sh            (logs in src/python/shapes/work/*.log)
set -euo pipefail
cd "$(dirname "$0")"
source ./env.sh
mkdir -p work
start=$(date +%s)
$PY train_vae.py --steps "${VAE_STEPS:-2000}" 2>&1 | tee work/train_vae.log
$PY train_unet.py --steps "${UNET_STEPS:-5000}" 2>&1 | tee work/train_unet.log
echo "training wall time: $(( $(date +%s) - start )) s"
$PY evaluate.py 2>&1 | tee work/evaluate.log
$PY export_pack.py 2>&1 | tee work/export.log
