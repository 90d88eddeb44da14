"""The shapes pack's torch modules, read from its diffusers-layout safetensors.

Training on top of the pack (LoRA, ControlNet, IP-Adapter) starts here:

    import pack_weights                  # run from src/python/shapes with env.sh's PYTHONPATH
    c = pack_weights.load_pack()         # lsmodels.reference_pipeline.Components, eval mode, fp32
    c.tokenizer, c.text_encoder, c.unet, c.vae, c.scheduler_config

``c.text_encoder`` is lsmodels' CLIPLikeTextEncoder, whose own state-dict names differ from the file's
(transformers' CLIPTextModel names): save it with ``lsmodels.text_encoder.to_transformers_names``.
``c.unet`` and ``c.vae`` are diffusers' UNet2DConditionModel and AutoencoderKL with encoder and decoder.
"""
from __future__ import annotations

import os

import common
from lsmodels import diffusers_folder
from lsmodels import reference_pipeline as rp
from lsmodels.bpe_vocab import Tokenizer
from lsmodels.samplers import load_scheduler_config


def load_pack(folder: str = common.PACK) -> rp.Components:
    """Tokenizer, text encoder, UNet, VAE and scheduler config of the pack in ``folder``."""
    text_encoder, unet, vae = diffusers_folder.load_modules(folder)
    return rp.Components(Tokenizer.from_folder(os.path.join(folder, "tokenizer")), text_encoder, unet, vae,
                         load_scheduler_config(os.path.join(folder, "scheduler")))
