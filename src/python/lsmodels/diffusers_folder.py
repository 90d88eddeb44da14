"""Model folders in the diffusers layout (what ``StableDiffusionPipeline.save_pretrained`` writes), fp32 safetensors.

    model_index.json                                   StableDiffusionPipeline index
    scheduler/scheduler_config.json, tokenizer/        as in the ONNX layout (export.py)
    text_encoder/config.json, model.safetensors        CLIPTextConfig; transformers' CLIPTextModel names
    unet/config.json, diffusion_pytorch_model.safetensors   UNet2DConditionModel
    vae/config.json, diffusion_pytorch_model.safetensors    AutoencoderKL: encoder, decoder, quant convs

``write_weights`` writes only the three model folders and the index, so a folder can hold both layouts (the
shapes pack does). ``load_*`` read them back into torch modules with every key checked (strict), for
training that starts from a folder. Safetensors go through ``safetensors.torch``: the real package or the
pure-Python shim (see ../README.md).
"""
from __future__ import annotations

import json
import os
from typing import Dict, Tuple

import torch
from safetensors.torch import load_file, save_file

from . import bpe_vocab
from .export import DIFFUSERS_VERSION, write_diffusers_config, write_scheduler_config, write_tokenizer
from .text_encoder import (CLIPLikeTextEncoder, from_transformers_names, read_config as read_text_encoder_config,
                           to_transformers_names, write_config as write_text_encoder_config)

TEXT_ENCODER_WEIGHTS = os.path.join("text_encoder", "model.safetensors")
UNET_WEIGHTS = os.path.join("unet", "diffusion_pytorch_model.safetensors")
VAE_WEIGHTS = os.path.join("vae", "diffusion_pytorch_model.safetensors")

MODEL_INDEX = {
    "_class_name": "StableDiffusionPipeline",
    "_diffusers_version": DIFFUSERS_VERSION,
    "feature_extractor": [None, None],
    "image_encoder": [None, None],
    "requires_safety_checker": False,
    "safety_checker": [None, None],
    "scheduler": ["diffusers", "PNDMScheduler"],
    "text_encoder": ["transformers", "CLIPTextModel"],
    "tokenizer": ["transformers", "CLIPTokenizer"],
    "unet": ["diffusers", "UNet2DConditionModel"],
    "vae": ["diffusers", "AutoencoderKL"],
}


def save_safetensors(state_dict: Dict[str, torch.Tensor], path: str) -> None:
    """fp32 tensors, sorted by name, ``format: pt`` metadata as diffusers writes; replaced atomically."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tensors = {k: v.detach().to(torch.float32).contiguous() for k, v in sorted(state_dict.items())}
    tmp = path + ".tmp"
    save_file(tensors, tmp, metadata={"format": "pt"})
    os.replace(tmp, path)


def write_weights(out_dir: str, text_encoder: CLIPLikeTextEncoder, unet, vae, bos_token_id: int,
                  eos_token_id: int) -> None:
    """model_index.json and the text_encoder/, unet/ and vae/ folders (config + safetensors)."""
    if text_encoder.config.hidden_size != unet.config.cross_attention_dim:
        raise ValueError("text encoder hidden_size must equal the UNet's cross_attention_dim")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model_index.json"), "w") as f:
        json.dump(MODEL_INDEX, f, indent=2)
        f.write("\n")
    write_text_encoder_config(os.path.join(out_dir, "text_encoder"), text_encoder.config, bos_token_id, eos_token_id)
    save_safetensors(to_transformers_names(text_encoder.state_dict()), os.path.join(out_dir, TEXT_ENCODER_WEIGHTS))
    for module, name, weights in ((unet, "unet", UNET_WEIGHTS), (vae, "vae", VAE_WEIGHTS)):
        write_diffusers_config(module, os.path.join(out_dir, name))
        save_safetensors(module.state_dict(), os.path.join(out_dir, weights))


def write_folder(out_dir: str, text_encoder: CLIPLikeTextEncoder, unet, vae, vocab: Dict[str, int], merges, *,
                 scheduler_config: dict = None) -> None:
    """A complete diffusers folder: ``write_weights`` plus scheduler and tokenizer."""
    write_scheduler_config(os.path.join(out_dir, "scheduler"), scheduler_config)
    write_tokenizer(os.path.join(out_dir, "tokenizer"), vocab, merges)
    write_weights(out_dir, text_encoder, unet, vae, vocab[bpe_vocab.BOS], vocab[bpe_vocab.EOS])


def _load_strict(module: torch.nn.Module, state_dict: Dict[str, torch.Tensor], path: str) -> None:
    missing, unexpected = module.state_dict().keys() - state_dict.keys(), state_dict.keys() - module.state_dict().keys()
    if missing or unexpected:
        raise ValueError(f"{path} does not fit its config.json: {len(missing)} missing tensors "
                         f"{sorted(missing)[:3]}, {len(unexpected)} unexpected {sorted(unexpected)[:3]}")
    module.load_state_dict(state_dict, strict=True)  # also checks every shape


def load_text_encoder(folder: str) -> CLIPLikeTextEncoder:
    path = os.path.join(folder, TEXT_ENCODER_WEIGHTS)
    module = CLIPLikeTextEncoder(read_text_encoder_config(os.path.join(folder, "text_encoder")))
    _load_strict(module, from_transformers_names(load_file(path)), path)
    return module.eval()


def _load_diffusers(cls, folder: str, name: str, weights: str):
    path = os.path.join(folder, weights)
    module = cls.from_config(cls.load_config(os.path.join(folder, name)))
    _load_strict(module, load_file(path), path)
    return module.eval()


def load_unet(folder: str):
    from diffusers import UNet2DConditionModel
    return _load_diffusers(UNet2DConditionModel, folder, "unet", UNET_WEIGHTS)


def load_vae(folder: str):
    from diffusers import AutoencoderKL
    return _load_diffusers(AutoencoderKL, folder, "vae", VAE_WEIGHTS)


def load_modules(folder: str) -> Tuple[CLIPLikeTextEncoder, object, object]:
    """(text encoder, UNet2DConditionModel, AutoencoderKL) in eval mode, fp32."""
    return load_text_encoder(folder), load_unet(folder), load_vae(folder)
