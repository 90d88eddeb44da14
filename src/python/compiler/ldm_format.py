"""The single-file writer: diffusers state dicts -> an original (LDM/CompVis) SD1.x checkpoint's keys.

The inverse of diffusers v0.30.3's ``loaders/single_file_utils.py`` (``convert_ldm_unet_checkpoint``,
``convert_ldm_vae_checkpoint``, ``convert_ldm_clip_checkpoint``), written from the block layout of the
LDM ``UNetModel`` and ``Encoder``/``Decoder`` rather than by string replacement, so it follows any
SD1.x config (block count, layers per block, which blocks have attention). ``verify`` runs diffusers'
own conversion on the result and demands the original tensors back, key for key and bit for bit.

LDM layout, with L = layers_per_block and n = len(block_out_channels):
  UNet  input_blocks.0.0 = conv_in; down block i, layer j -> input_blocks.{1 + i(L+1) + j}.{0 resnet, 1 attention};
        its downsampler -> input_blocks.{(i+1)(L+1)}.0.op; middle_block.{0 resnet, 1 attention, 2 resnet};
        up block i, layer j (0..L) -> output_blocks.{i(L+1) + j}.{0 resnet, 1 attention}, its upsampler
        -> output_blocks.{i(L+1) + L}.{2 if the block has attention else 1}.conv; time_embed.{0,2}; out.{0,2}
  VAE   encoder.down.{i}.block.{j}, encoder.down.{i}.downsample; decoder.up.{n-1-i} = diffusers' up_blocks.{i};
        mid.block_{1,2}, mid.attn_1.{norm,q,k,v,proj_out} with 1x1-conv weights [C, C, 1, 1]
  CLIP  cond_stage_model.transformer. + transformers' CLIPTextModel names

diffusers' UNet conversion takes an up block's upsampler from slot 1 or 2 alike, so it cannot tell the
two apart; slot 2 after an attention is the real files' layout (SD1.5: output_blocks.2.1.conv,
output_blocks.5.2.conv), which make_fullsize.py checks against SD1.5's hard-coded layout.
"""
from __future__ import annotations

import re
from typing import Dict

import numpy as np
import torch

UNET_PREFIX = "model.diffusion_model."
VAE_PREFIX = "first_stage_model."
CLIP_PREFIX = "cond_stage_model.transformer."
EMA_PREFIX = "model_ema."

_RESNET = {"norm1": "in_layers.0", "conv1": "in_layers.2", "time_emb_proj": "emb_layers.1",
           "norm2": "out_layers.0", "conv2": "out_layers.3", "conv_shortcut": "skip_connection"}
_UNET_FIXED = {"time_embedding.linear_1": "time_embed.0", "time_embedding.linear_2": "time_embed.2",
               "conv_in": "input_blocks.0.0", "conv_norm_out": "out.0", "conv_out": "out.2"}
_VAE_FIXED = {"encoder.conv_in": "encoder.conv_in", "encoder.conv_norm_out": "encoder.norm_out",
              "encoder.conv_out": "encoder.conv_out", "decoder.conv_in": "decoder.conv_in",
              "decoder.conv_norm_out": "decoder.norm_out", "decoder.conv_out": "decoder.conv_out",
              "quant_conv": "quant_conv", "post_quant_conv": "post_quant_conv"}
_VAE_ATTENTION = {"group_norm": "norm", "to_q": "q", "to_k": "k", "to_v": "v", "to_out.0": "proj_out"}


def _resnet(rest: str, names: Dict[str, str]) -> str:
    layer, param = rest.rsplit(".", 1)
    return f"{names[layer]}.{param}"


def _unet_key(key: str, config: dict) -> str:
    L = config["layers_per_block"]
    if not isinstance(L, int):
        raise ValueError("layers_per_block must be one int for SD1.x")
    for diffusers, ldm in _UNET_FIXED.items():
        if key.startswith(diffusers + "."):
            return ldm + key[len(diffusers):]
    m = re.fullmatch(r"down_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)", key)
    if m:
        i, kind, j, rest = int(m[1]), m[2], int(m[3]), m[4]
        idx = 1 + i * (L + 1) + j
        return f"input_blocks.{idx}.0.{_resnet(rest, _RESNET)}" if kind == "resnets" else f"input_blocks.{idx}.1.{rest}"
    m = re.fullmatch(r"down_blocks\.(\d+)\.downsamplers\.0\.conv\.(\w+)", key)
    if m:
        return f"input_blocks.{(int(m[1]) + 1) * (L + 1)}.0.op.{m[2]}"
    m = re.fullmatch(r"mid_block\.resnets\.(\d+)\.(.+)", key)
    if m:
        return f"middle_block.{2 * int(m[1])}.{_resnet(m[2], _RESNET)}"
    m = re.fullmatch(r"mid_block\.attentions\.0\.(.+)", key)
    if m:
        return f"middle_block.1.{m[1]}"
    m = re.fullmatch(r"up_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)", key)
    if m:
        i, kind, j, rest = int(m[1]), m[2], int(m[3]), m[4]
        idx = i * (L + 1) + j
        return f"output_blocks.{idx}.0.{_resnet(rest, _RESNET)}" if kind == "resnets" else f"output_blocks.{idx}.1.{rest}"
    m = re.fullmatch(r"up_blocks\.(\d+)\.upsamplers\.0\.conv\.(\w+)", key)
    if m:
        i = int(m[1])
        slot = 2 if config["up_block_types"][i].startswith("CrossAttn") else 1
        return f"output_blocks.{i * (L + 1) + L}.{slot}.conv.{m[2]}"
    raise KeyError(f"UNet key {key!r} has no LDM name (not an SD1.x UNet2DConditionModel?)")


def unet_to_ldm(state_dict: Dict[str, torch.Tensor], config: dict) -> Dict[str, torch.Tensor]:
    """diffusers UNet2DConditionModel state dict -> ``model.diffusion_model.*``."""
    return {UNET_PREFIX + _unet_key(k, config): v for k, v in state_dict.items()}


def _vae_key(key: str, config: dict):
    """(ldm key, whether the weight becomes a 1x1 conv)."""
    n = len(config["block_out_channels"])
    for diffusers, ldm in _VAE_FIXED.items():
        if key.startswith(diffusers + "."):
            return ldm + key[len(diffusers):], False
    m = re.fullmatch(r"encoder\.down_blocks\.(\d+)\.resnets\.(\d+)\.(\w+)\.(\w+)", key)
    if m:
        return f"encoder.down.{m[1]}.block.{m[2]}.{m[3].replace('conv_shortcut', 'nin_shortcut')}.{m[4]}", False
    m = re.fullmatch(r"encoder\.down_blocks\.(\d+)\.downsamplers\.0\.conv\.(\w+)", key)
    if m:
        return f"encoder.down.{m[1]}.downsample.conv.{m[2]}", False
    m = re.fullmatch(r"decoder\.up_blocks\.(\d+)\.resnets\.(\d+)\.(\w+)\.(\w+)", key)
    if m:
        return f"decoder.up.{n - 1 - int(m[1])}.block.{m[2]}.{m[3].replace('conv_shortcut', 'nin_shortcut')}.{m[4]}", False
    m = re.fullmatch(r"decoder\.up_blocks\.(\d+)\.upsamplers\.0\.conv\.(\w+)", key)
    if m:
        return f"decoder.up.{n - 1 - int(m[1])}.upsample.conv.{m[2]}", False
    m = re.fullmatch(r"(encoder|decoder)\.mid_block\.resnets\.(\d+)\.(.+)", key)
    if m:
        return f"{m[1]}.mid.block_{int(m[2]) + 1}.{m[3]}", False
    m = re.fullmatch(r"(encoder|decoder)\.mid_block\.attentions\.0\.(.+)\.(weight|bias)", key)
    if m and m[2] in _VAE_ATTENTION:
        return f"{m[1]}.mid.attn_1.{_VAE_ATTENTION[m[2]]}.{m[3]}", m[2] != "group_norm" and m[3] == "weight"
    raise KeyError(f"VAE key {key!r} has no LDM name (not an SD1.x AutoencoderKL?)")


def vae_to_ldm(state_dict: Dict[str, torch.Tensor], config: dict) -> Dict[str, torch.Tensor]:
    """diffusers AutoencoderKL state dict -> ``first_stage_model.*`` (attention projections as 1x1 convs)."""
    out = {}
    for k, v in state_dict.items():
        name, conv = _vae_key(k, config)
        out[VAE_PREFIX + name] = v[:, :, None, None] if conv else v
    return out


def clip_to_ldm(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """CLIPTextModel state dict (``text_model.*``) -> ``cond_stage_model.transformer.text_model.*``."""
    return {CLIP_PREFIX + k: v for k, v in state_dict.items()}


def noise_schedule_buffers(num_timesteps: int = 1000, linear_start: float = 0.00085,
                           linear_end: float = 0.012) -> Dict[str, torch.Tensor]:
    """The float32 buffers LDM's ``LatentDiffusion.register_schedule`` stores in every SD1.x checkpoint
    (v1-inference.yaml: linear_start 0.00085, linear_end 0.012, 1000 steps, v_posterior 0). Loaders ignore them."""
    betas = (np.linspace(linear_start ** 0.5, linear_end ** 0.5, num_timesteps, dtype=np.float64) ** 2)
    alphas = 1.0 - betas
    ac = np.cumprod(alphas, axis=0)
    ac_prev = np.append(1.0, ac[:-1])
    posterior_variance = betas * (1.0 - ac_prev) / (1.0 - ac)
    arrays = {
        "betas": betas,
        "alphas_cumprod": ac,
        "alphas_cumprod_prev": ac_prev,
        "sqrt_alphas_cumprod": np.sqrt(ac),
        "sqrt_one_minus_alphas_cumprod": np.sqrt(1.0 - ac),
        "log_one_minus_alphas_cumprod": np.log(1.0 - ac),
        "sqrt_recip_alphas_cumprod": np.sqrt(1.0 / ac),
        "sqrt_recipm1_alphas_cumprod": np.sqrt(1.0 / ac - 1),
        "posterior_variance": posterior_variance,
        "posterior_log_variance_clipped": np.log(np.maximum(posterior_variance, 1e-20)),
        "posterior_mean_coef1": betas * np.sqrt(ac_prev) / (1.0 - ac),
        "posterior_mean_coef2": (1.0 - ac_prev) * np.sqrt(alphas) / (1.0 - ac),
    }
    return {k: torch.tensor(v, dtype=torch.float32) for k, v in arrays.items()}


def ema_keys(ldm_unet: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """LDM's ``LitEma`` buffer names for the UNet: ``model_ema.`` + the DiffusionWrapper name without dots
    (``model.diffusion_model.out.2.bias`` -> ``model_ema.diffusion_modelout2bias``)."""
    return {EMA_PREFIX + k[len("model."):].replace(".", ""): v for k, v in ldm_unet.items()}


def ema_scalars() -> Dict[str, torch.Tensor]:
    """LitEma's own buffers, present even in "emaonly" files: decay (float32 []) and num_updates (int32 [])."""
    return {"model_ema.decay": torch.tensor(0.9999, dtype=torch.float32),
            "model_ema.num_updates": torch.tensor(0, dtype=torch.int32)}


def to_ldm(unet_sd, unet_config, vae_sd, vae_config, clip_sd) -> Dict[str, torch.Tensor]:
    """The three models' keys of a single-file checkpoint (no extra keys)."""
    out = {}
    out.update(unet_to_ldm(unet_sd, unet_config))
    out.update(vae_to_ldm(vae_sd, vae_config))
    out.update(clip_to_ldm(clip_sd))
    return out


# ---------------------------------------------------------------------------------------------------
# Verification with diffusers' own conversion


def from_ldm(checkpoint: Dict[str, torch.Tensor], unet_config: dict, vae_config: dict):
    """diffusers v0.30.3's conversions, as ``from_single_file`` applies them: (unet, vae, clip) state dicts."""
    from diffusers.loaders.single_file_utils import (convert_ldm_clip_checkpoint, convert_ldm_unet_checkpoint,
                                                     convert_ldm_vae_checkpoint)
    unet = convert_ldm_unet_checkpoint(checkpoint, unet_config)
    vae = convert_ldm_vae_checkpoint(checkpoint, vae_config)
    clip = convert_ldm_clip_checkpoint(checkpoint)
    return unet, vae, clip


def compare_state_dicts(name: str, got: Dict[str, torch.Tensor], want: Dict[str, torch.Tensor], dtype=None) -> str:
    """Raise unless ``got`` has exactly ``want``'s keys and bit-identical tensors (``want`` cast to ``dtype``
    first, for fp16/bf16 files). Returns a one-line summary."""
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    if missing or extra:
        raise AssertionError(f"{name}: {len(missing)} missing {missing[:3]}, {len(extra)} unexpected {extra[:3]}")
    for k, w in want.items():
        g = got[k]
        w = w.to(dtype) if dtype is not None and w.is_floating_point() else w
        if g.dtype != w.dtype or g.shape != w.shape or not torch.equal(g, w):
            raise AssertionError(f"{name}: {k}: {g.dtype}{list(g.shape)} differs from {w.dtype}{list(w.shape)}")
    return f"{name}: {len(want)} tensors, {sum(t.numel() for t in want.values())} values, all bit-identical"
