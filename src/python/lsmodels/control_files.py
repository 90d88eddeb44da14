"""ControlNets and IP-Adapters in the formats users download.

* ``controlnet_to_ldm``: diffusers' ``ControlNetModel`` state dict in lllyasviel's original naming
  (``control_model.input_blocks...``, ``zero_convs``, ``input_hint_block``, ``middle_block_out``), the inverse of
  diffusers' ``convert_controlnet_checkpoint``; ``write_ldm_controlnet`` checks the round trip through diffusers'
  own converter before writing.
* ``ip_adapter_state_dict``: h94's ``ip-adapter_sd15.safetensors`` keys (``image_proj.proj``, ``image_proj.norm``,
  ``ip_adapter.<n>.to_k_ip/to_v_ip`` with n = 1, 3, 5, ... over the UNet's cross-attention processors in
  ``attn_processors`` order), and ``split_ip_adapter`` back into the two dicts ``load_ip_adapter`` builds.
"""
from __future__ import annotations

import json
import os
import re
from typing import Dict

import torch

from .diffusers_folder import save_safetensors
from .export import write_diffusers_config

_RESNET = (("norm1", "in_layers.0"), ("conv1", "in_layers.2"), ("time_emb_proj", "emb_layers.1"),
           ("norm2", "out_layers.0"), ("conv2", "out_layers.3"), ("conv_shortcut", "skip_connection"))


def controlnet_to_ldm(sd: Dict[str, torch.Tensor], layers_per_block: int, prefix: str = "control_model.") -> dict:
    out = {}
    blocks = sorted({int(m.group(1)) for k in sd for m in [re.match(r"controlnet_cond_embedding\.blocks\.(\d+)\.", k)]
                     if m})
    last_hint = 2 * (len(blocks) + 1)
    step = layers_per_block + 1
    for k, v in sd.items():
        name = None
        if k.startswith("time_embedding.linear_1."):
            name = "time_embed.0." + k.split(".")[-1]
        elif k.startswith("time_embedding.linear_2."):
            name = "time_embed.2." + k.split(".")[-1]
        elif k.startswith("conv_in."):
            name = "input_blocks.0.0." + k.split(".")[-1]
        elif k.startswith("controlnet_cond_embedding.conv_in."):
            name = "input_hint_block.0." + k.split(".")[-1]
        elif k.startswith("controlnet_cond_embedding.conv_out."):
            name = f"input_hint_block.{last_hint}." + k.split(".")[-1]
        elif m := re.match(r"controlnet_cond_embedding\.blocks\.(\d+)\.(.+)", k):
            name = f"input_hint_block.{2 * (int(m.group(1)) + 1)}.{m.group(2)}"
        elif m := re.match(r"controlnet_down_blocks\.(\d+)\.(.+)", k):
            name = f"zero_convs.{m.group(1)}.0.{m.group(2)}"
        elif k.startswith("controlnet_mid_block."):
            name = "middle_block_out.0." + k.split(".")[-1]
        elif m := re.match(r"down_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", k):
            rest = m.group(3)
            for new, old in _RESNET:
                rest = rest.replace(new, old)
            name = f"input_blocks.{1 + int(m.group(1)) * step + int(m.group(2))}.0.{rest}"
        elif m := re.match(r"down_blocks\.(\d+)\.attentions\.(\d+)\.(.+)", k):
            name = f"input_blocks.{1 + int(m.group(1)) * step + int(m.group(2))}.1.{m.group(3)}"
        elif m := re.match(r"down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)", k):
            name = f"input_blocks.{(int(m.group(1)) + 1) * step}.0.op.{m.group(2)}"
        elif m := re.match(r"mid_block\.resnets\.(\d+)\.(.+)", k):
            rest = m.group(2)
            for new, old in _RESNET:
                rest = rest.replace(new, old)
            name = f"middle_block.{2 * int(m.group(1))}.{rest}"
        elif m := re.match(r"mid_block\.attentions\.0\.(.+)", k):
            name = f"middle_block.1.{m.group(1)}"
        if name is None:
            raise ValueError("no LDM name for " + k)
        out[prefix + name] = v
    return out


def write_ldm_controlnet(controlnet, path: str) -> None:
    """An original-format single file, checked against diffusers' convert_controlnet_checkpoint."""
    from diffusers.loaders.single_file_utils import convert_controlnet_checkpoint
    sd = controlnet.state_dict()
    ldm = controlnet_to_ldm(sd, controlnet.config.layers_per_block)
    back = convert_controlnet_checkpoint(ldm, dict(controlnet.config))
    if set(back) != set(sd) or any(not torch.equal(back[k], sd[k]) for k in sd):
        raise AssertionError("LDM ControlNet names do not convert back to diffusers' names")
    save_safetensors(ldm, path)


def write_controlnet_folder(controlnet, folder: str) -> None:
    write_diffusers_config(controlnet, folder)
    save_safetensors(controlnet.state_dict(), os.path.join(folder, "diffusion_pytorch_model.safetensors"))


def cross_attention_processors(unet):
    """The cross-attention processor names in attn_processors order, as load_ip_adapter numbers them."""
    return [n for n in unet.attn_processors if not n.endswith("attn1.processor")]


def ip_adapter_state_dict(proj_linear, proj_norm, to_k, to_v) -> dict:
    """h94's flat keys; ``to_k``/``to_v`` are lists of Linear in cross_attention_processors order."""
    sd = {"image_proj.proj.weight": proj_linear.weight, "image_proj.proj.bias": proj_linear.bias,
          "image_proj.norm.weight": proj_norm.weight, "image_proj.norm.bias": proj_norm.bias}
    for i, (k, v) in enumerate(zip(to_k, to_v)):
        sd[f"ip_adapter.{2 * i + 1}.to_k_ip.weight"] = k.weight
        sd[f"ip_adapter.{2 * i + 1}.to_v_ip.weight"] = v.weight
    return {n: t.detach().clone() for n, t in sd.items()}


def split_ip_adapter(flat: dict) -> dict:
    """What IPAdapterMixin.load_ip_adapter makes of a safetensors file before _load_ip_adapter_weights."""
    out = {"image_proj": {}, "ip_adapter": {}}
    for k, v in flat.items():
        if k.startswith("image_proj."):
            out["image_proj"][k.replace("image_proj.", "")] = v
        elif k.startswith("ip_adapter."):
            out["ip_adapter"][k.replace("ip_adapter.", "")] = v
    return out
