"""LoRA files in the formats Latent Studio reads, and their merge as diffusers/PEFT fuse them.

A LoRA here is ``{"unet": {module: Layer}, "text_encoder": {module: Layer}}``, modules named as the model's
parameters are (diffusers' UNet2DConditionModel names; transformers' CLIPTextModel names for the text encoder,
which our CLIP-like encoder's files use), without ``.weight``.

Formats written (what real files look like):
  kohya          lora_unet_<module with _ for .>.lora_down.weight / .lora_up.weight / .alpha, lora_te_<module>...
  kohya LDM      the same with the UNet modules in original (LDM) naming: lora_unet_input_blocks_1_1_...
  PEFT           unet.<module>.lora_A.weight / .lora_B.weight, text_encoder.<module>...; no alpha, so the alpha/rank
                 factor is folded into lora_B (exact when it is a power of two, which ``Layer.check`` demands)
  diffusers old  unet.<...>.attn1.processor.to_q_lora.down.weight, text_encoder.<...>.self_attn.to_q_lora...,
                 <module>.lora.down.weight for the other layers

``fuse`` merges a LoRA into torch modules exactly as diffusers' ``fuse_lora(lora_scale=s)`` does through PEFT's
``get_delta_weight``: W += (B @ A) * (alpha / r * s), a 3x3 LoCon via ``conv2d(A.permute(1, 0, 2, 3), B)``.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Callable, Dict, Optional

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

from .text_encoder import from_transformers_names


@dataclass
class Layer:
    down: torch.Tensor  # [r, in] or [r, in, kh, kw]   (PEFT's lora_A)
    up: torch.Tensor  # [out, r] or [out, r, 1, 1]      (PEFT's lora_B)
    alpha: float

    @property
    def rank(self) -> int:
        return self.down.shape[0]

    @property
    def scale(self) -> float:
        return self.alpha / self.rank

    def check(self) -> None:
        m, e = math.frexp(self.scale)
        if m != 0.5:
            raise ValueError(f"alpha/rank = {self.scale} is not a power of two: PEFT files would not hold the same LoRA")


# ---------------------------------------------------------------------------------------------------- merging


def delta(layer: Layer) -> torch.Tensor:
    """PEFT's get_delta_weight (tuners/lora/layer.py) with scaling = alpha / r."""
    a, b = layer.down, layer.up
    if a.dim() == 4:
        if a.shape[2:4] == (1, 1):
            d = (b.squeeze(3).squeeze(2) @ a.squeeze(3).squeeze(2)).unsqueeze(2).unsqueeze(3)
        else:
            d = F.conv2d(a.permute(1, 0, 2, 3), b).permute(1, 0, 2, 3)
    else:
        d = b @ a
    return d * layer.scale


@torch.no_grad()
def fuse(lora: dict, unet, text_encoder, unet_scale: float = 1.0, text_scale: float = 1.0) -> None:
    """Merges into the modules in place: base_layer.weight.data += delta * scale, as PEFT's merge()."""
    unet_params = dict(unet.named_parameters())
    for module, layer in lora.get("unet", {}).items():
        w = unet_params[module + ".weight"]
        w.data += (delta(layer) * unet_scale).reshape(w.shape)
    text_params = dict(text_encoder.named_parameters())
    for module, layer in lora.get("text_encoder", {}).items():
        ours = next(iter(from_transformers_names({module + ".weight": None})))
        w = text_params[ours]
        w.data += (delta(layer) * text_scale).reshape(w.shape)


# ---------------------------------------------------------------------------------------------------- random LoRAs


def lora_modules(module: torch.nn.Module, keep: Callable[[str, torch.nn.Module], bool]) -> Dict[str, torch.nn.Module]:
    return {n: m for n, m in module.named_modules()
            if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d)) and keep(n, m)}


def random_layer(weight: torch.Tensor, rank: int, alpha: float, rel: float, g: torch.Generator) -> Layer:
    """A layer whose delta has about ``rel`` times the weight's RMS."""
    out, inp = weight.shape[0], weight.shape[1]
    kernel = tuple(weight.shape[2:])
    down = torch.randn((rank, inp) + kernel, generator=g) / math.sqrt(inp * max(1, math.prod(kernel)))
    up = torch.randn((out, rank) + ((1, 1) if kernel else ()), generator=g)
    layer = Layer(down, up, alpha)
    d = delta(layer)
    target = rel * float(weight.pow(2).mean().sqrt())
    layer.up = up * (target / float(d.pow(2).mean().sqrt()))
    return layer


# ---------------------------------------------------------------------------------------------------- names


def _resnet_ldm(rest: str) -> str:
    for a, b in (("norm1", "in_layers.0"), ("conv1", "in_layers.2"), ("time_emb_proj", "emb_layers.1"),
                 ("norm2", "out_layers.0"), ("conv2", "out_layers.3"), ("conv_shortcut", "skip_connection")):
        if rest == a or rest.startswith(a + "."):
            return b + rest[len(a):]
    return rest


def ldm_unet_name(module: str, layers_per_block: int, up_has_attention: Callable[[int], bool]) -> str:
    """A diffusers UNet module path in original LDM naming (inverse of diffusers' convert_ldm_unet_checkpoint)."""
    n = layers_per_block
    m = re.match(r"down_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)", module)
    if m:
        b, kind, l, rest = int(m[1]), m[2], int(m[3]), m[4]
        i = 1 + b * (n + 1) + l
        return f"input_blocks.{i}.0.{_resnet_ldm(rest)}" if kind == "resnets" else f"input_blocks.{i}.1.{rest}"
    m = re.match(r"down_blocks\.(\d+)\.downsamplers\.0\.conv", module)
    if m:
        return f"input_blocks.{(int(m[1]) + 1) * (n + 1)}.0.op"
    m = re.match(r"mid_block\.(resnets|attentions)\.(\d+)\.(.+)", module)
    if m:
        i = 2 * int(m[2]) if m[1] == "resnets" else 1
        return f"middle_block.{i}.{_resnet_ldm(m[3]) if m[1] == 'resnets' else m[3]}"
    m = re.match(r"up_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)", module)
    if m:
        b, kind, l, rest = int(m[1]), m[2], int(m[3]), m[4]
        i = b * (n + 1) + l
        return f"output_blocks.{i}.0.{_resnet_ldm(rest)}" if kind == "resnets" else f"output_blocks.{i}.1.{rest}"
    m = re.match(r"up_blocks\.(\d+)\.upsamplers\.0\.conv", module)
    if m:
        b = int(m[1])
        return f"output_blocks.{b * (n + 1) + n}.{2 if up_has_attention(b) else 1}.conv"
    raise ValueError(f"no LDM name for {module}")


_OLD_UNET = {"to_q": "to_q_lora", "to_k": "to_k_lora", "to_v": "to_v_lora", "to_out.0": "to_out_lora"}
_OLD_TEXT = {"q_proj": "to_q_lora", "k_proj": "to_k_lora", "v_proj": "to_v_lora", "out_proj": "to_out_lora"}


def _old_name(module: str, table: dict, processor: bool) -> Optional[str]:
    for ours, old in table.items():
        if module.endswith("." + ours):
            head = module[: -len(ours) - 1]
            return f"{head}.processor.{old}" if processor else f"{head}.{old}"
    return None


# ---------------------------------------------------------------------------------------------------- writing


def _save(path: str, tensors: dict, metadata: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    keep = (torch.float16, torch.bfloat16)  # half-precision LoRAs stay so; anything else is written as float32
    save_file({k: (v if v.dtype in keep else v.to(torch.float32)).detach().contiguous()
               for k, v in sorted(tensors.items())}, tmp, metadata=metadata)
    os.replace(tmp, path)


def save_kohya(path: str, lora: dict, *, ldm: Optional[Callable[[str], str]] = None, metadata: dict = None) -> None:
    """kohya-ss sd-scripts' layout; ``ldm`` maps UNet modules to LDM names for the LDM-style variant."""
    t = {}
    for part, prefix in (("unet", "lora_unet_"), ("text_encoder", "lora_te_")):
        for module, layer in lora.get(part, {}).items():
            name = ldm(module) if (ldm and part == "unet") else module
            key = prefix + name.replace(".", "_")
            t[key + ".lora_down.weight"] = layer.down
            t[key + ".lora_up.weight"] = layer.up
            t[key + ".alpha"] = torch.tensor(float(layer.alpha))
    _save(path, t, dict({"ss_network_module": "networks.lora", "ss_base_model_version": "sd_v1"}, **(metadata or {})))


def save_peft(path: str, lora: dict) -> None:
    """diffusers' save_lora_weights layout (PEFT keys, no alphas: alpha/rank folded into lora_B)."""
    t = {}
    for part in ("unet", "text_encoder"):
        for module, layer in lora.get(part, {}).items():
            layer.check()
            t[f"{part}.{module}.lora_A.weight"] = layer.down
            t[f"{part}.{module}.lora_B.weight"] = layer.up * layer.scale
    _save(path, t, {"format": "pt"})


def save_diffusers_old(path: str, lora: dict) -> None:
    """The attention-processor layout of diffusers before PEFT (0.14-0.20), alphas folded as for PEFT."""
    t = {}
    for part, table, processor in (("unet", _OLD_UNET, True), ("text_encoder", _OLD_TEXT, False)):
        for module, layer in lora.get(part, {}).items():
            layer.check()
            old = _old_name(module, table, processor)
            key = f"{part}.{old}" if old else f"{part}.{module}.lora"
            t[key + ".down.weight"] = layer.down
            t[key + ".up.weight"] = layer.up * layer.scale
    _save(path, t, {"format": "pt"})
