"""A CLIP image encoder in plain torch with transformers' ``CLIPVisionModelWithProjection`` parameter names,
and ``CLIPImageProcessor``'s preprocessing (transformers is not installable here).

The module mirrors transformers' ``modeling_clip`` (CLIPVisionEmbeddings, CLIPEncoderLayer with q scaled
before the product, ``pre_layrnorm`` spelt as there, ``post_layernorm`` of the class token, bias-free
``visual_projection``); its state dict has exactly the names of h94's ``image_encoder/model.safetensors``.
``clip_preprocess`` re-states ``CLIPImageProcessor.preprocess`` with its defaults (shortest edge 224, PIL
bicubic, centre crop 224, rescale 1/255 in float64 then float32, CLIP mean and std in float32).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

import numpy as np
import torch
from PIL import Image
from torch import nn

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


@dataclass
class VisionConfig:
    hidden_size: int = 32
    intermediate_size: int = 64
    num_hidden_layers: int = 2
    num_attention_heads: int = 2
    image_size: int = 224
    patch_size: int = 32
    projection_dim: int = 24
    hidden_act: str = "gelu"
    layer_norm_eps: float = 1e-5
    num_channels: int = 3


class _Embeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.class_embedding = nn.Parameter(torch.randn(c.hidden_size) * c.hidden_size ** -0.5)
        self.patch_embedding = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size, stride=c.patch_size, bias=False)
        n = (c.image_size // c.patch_size) ** 2 + 1
        self.position_embedding = nn.Embedding(n, c.hidden_size)
        self.register_buffer("position_ids", torch.arange(n)[None], persistent=False)

    def forward(self, pixel_values):
        patches = self.patch_embedding(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(pixel_values.shape[0], 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding(self.position_ids)


class _Attention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.k_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.v_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.out_proj = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x):
        b, n, d = x.shape

        def split(t):
            return t.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)
        q = split(self.q_proj(x) * self.scale)
        k, v = split(self.k_proj(x)), split(self.v_proj(x))
        attn = torch.softmax(q @ k.transpose(-1, -2), dim=-1)
        return self.out_proj((attn @ v).transpose(1, 2).reshape(b, n, d))


class _Mlp(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.act = c.hidden_act
        self.fc1 = nn.Linear(c.hidden_size, c.intermediate_size)
        self.fc2 = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, x):
        h = self.fc1(x)
        h = h * torch.sigmoid(1.702 * h) if self.act == "quick_gelu" else nn.functional.gelu(h)
        return self.fc2(h)


class _Layer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.self_attn = _Attention(c)
        self.layer_norm1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = _Mlp(c)
        self.layer_norm2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class _Encoder(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layers = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))


class _VisionTransformer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.embeddings = _Embeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.encoder = _Encoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)


class CLIPVisionModelWithProjection(nn.Module):
    """forward(pixel_values [B, 3, S, S]) -> image_embeds [B, projection_dim]."""

    def __init__(self, c: VisionConfig):
        super().__init__()
        self.config = c
        self.vision_model = _VisionTransformer(c)
        self.visual_projection = nn.Linear(c.hidden_size, c.projection_dim, bias=False)

    def forward(self, pixel_values):
        v = self.vision_model
        x = v.pre_layrnorm(v.embeddings(pixel_values))
        for layer in v.encoder.layers:
            x = layer(x)
        return self.visual_projection(v.post_layernorm(x[:, 0, :]))


def config_dict(c: VisionConfig) -> dict:
    d = asdict(c)
    d.update({"architectures": ["CLIPVisionModelWithProjection"], "model_type": "clip_vision_model",
              "torch_dtype": "float32", "attention_dropout": 0.0, "dropout": 0.0, "initializer_factor": 1.0,
              "initializer_range": 0.02})
    return dict(sorted(d.items()))


def write_folder(model: CLIPVisionModelWithProjection, folder: str) -> None:
    """h94's ``image_encoder/`` layout: config.json and model.safetensors."""
    from .diffusers_folder import save_safetensors
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config_dict(model.config), f, indent=2)
        f.write("\n")
    save_safetensors(model.state_dict(), os.path.join(folder, "model.safetensors"))


def load_folder(folder: str) -> CLIPVisionModelWithProjection:
    from safetensors.torch import load_file
    with open(os.path.join(folder, "config.json")) as f:
        d = json.load(f)
    fields = VisionConfig.__dataclass_fields__
    model = CLIPVisionModelWithProjection(VisionConfig(**{k: v for k, v in d.items() if k in fields}))
    model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")), strict=True)
    return model.eval()


def clip_preprocess(image: Image.Image, size: int = 224, crop: int = 224) -> np.ndarray:
    """CLIPImageProcessor.preprocess(image).pixel_values[0] with its defaults, as float32 [3, crop, crop]."""
    return normalize(resize_and_crop(image, size, crop))


def resize_and_crop(image: Image.Image, size: int = 224, crop: int = 224) -> np.ndarray:
    """The 8-bit part of the preprocessing: RGB, shortest side to ``size`` (PIL bicubic), centre crop; [H, W, 3]."""
    image = image.convert("RGB")  # do_convert_rgb
    w, h = image.size
    # get_resize_output_image_size(default_to_square=False): the short side becomes `size`
    short, long = (w, h) if w <= h else (h, w)
    if short != size:
        new_short, new_long = size, int(size * long / short)
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
        image = image.resize((new_w, new_h), resample=Image.BICUBIC, reducing_gap=None)
    a = np.array(image)  # [H, W, 3] uint8
    top = (a.shape[0] - crop) // 2
    left = (a.shape[1] - crop) // 2
    return a[top:top + crop, left:left + crop]


def normalize(a: np.ndarray) -> np.ndarray:
    """rescale (float64 then float32) and normalize (float32) of an [H, W, 3] uint8 crop; returns [3, H, W]."""
    a = (a.astype(np.float64) * (1 / 255)).astype(np.float32)  # rescale
    a = (a - np.array(CLIP_MEAN, dtype=np.float32)) / np.array(CLIP_STD, dtype=np.float32)  # normalize
    return np.ascontiguousarray(a.transpose(2, 0, 1))
