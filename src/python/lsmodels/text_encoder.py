"""A small CLIP-like text encoder in plain torch (``transformers`` is not available here).

Same computation as Hugging Face's ``CLIPTextModel`` (``modeling_clip.py``): token + learned position
embeddings, pre-LayerNorm blocks with causal self-attention and a quick_gelu (or gelu) MLP, a final
LayerNorm, and ``pooler_output`` = hidden state at the EOS position (argmax of ``input_ids``, as
CLIPTextModel does for configs with ``eos_token_id == 2``, which includes SD1.5's). Only the sizes are
small. Parameter names are shorter than transformers' (``layers.0.fc1`` for
``text_model.encoder.layers.0.mlp.fc1``); ``to_transformers_names`` and ``from_transformers_names``
translate.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Tuple

import torch
from torch import nn

from .bpe_vocab import MODEL_MAX_LENGTH


@dataclass
class TextEncoderConfig:
    vocab_size: int
    hidden_size: int = 32
    num_hidden_layers: int = 2
    num_attention_heads: int = 2
    intermediate_size: int = 0  # 0 -> 4 * hidden_size, as CLIP
    max_position_embeddings: int = MODEL_MAX_LENGTH
    layer_norm_eps: float = 1e-5
    hidden_act: str = "quick_gelu"  # CLIPTextConfig.hidden_act: "quick_gelu" (SD1.5) or "gelu" (exact, erf)

    def __post_init__(self):
        if self.intermediate_size <= 0:
            self.intermediate_size = 4 * self.hidden_size
        if self.hidden_size % self.num_attention_heads:
            raise ValueError("hidden_size must be divisible by num_attention_heads")
        if self.hidden_act not in ACTIVATIONS:
            raise ValueError(f"hidden_act {self.hidden_act!r}: known {sorted(ACTIVATIONS)}")


def quick_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(1.702 * x)


# transformers' ACT2FN entries for these names
ACTIVATIONS = {"quick_gelu": quick_gelu, "gelu": torch.nn.functional.gelu}


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: TextEncoderConfig):
        super().__init__()
        self.heads = cfg.num_attention_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.k_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.v_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.out_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        def split(t):
            return t.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)
        q = split(self.q_proj(x) * self.scale)  # CLIP scales q before the product
        k, v = split(self.k_proj(x)), split(self.v_proj(x))
        attn = torch.softmax(q @ k.transpose(-1, -2) + mask, dim=-1)
        return self.out_proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class EncoderLayer(nn.Module):
    def __init__(self, cfg: TextEncoderConfig):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.self_attn = CausalSelfAttention(cfg)
        self.layer_norm2 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.fc1 = nn.Linear(cfg.hidden_size, cfg.intermediate_size)
        self.fc2 = nn.Linear(cfg.intermediate_size, cfg.hidden_size)
        self.act = ACTIVATIONS[cfg.hidden_act]

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.fc2(self.act(self.fc1(self.layer_norm2(x))))


class CLIPLikeTextEncoder(nn.Module):
    """forward(input_ids [batch, seq]) -> (last_hidden_state [batch, seq, hidden], pooler_output [batch, hidden]);
    with ``output_hidden_states=True`` a third item: transformers' ``hidden_states`` tuple (the embeddings,
    then each layer's output before the final LayerNorm; num_hidden_layers + 1 entries)."""

    def __init__(self, cfg: TextEncoderConfig):
        super().__init__()
        self.config = cfg
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.position_embedding = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.final_layer_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        n = cfg.max_position_embeddings
        # HF builds the causal mask with finfo.min rather than -inf; same softmax, no inf arithmetic.
        mask = torch.full((n, n), torch.finfo(torch.float32).min).triu(1)
        self.register_buffer("causal_mask", mask, persistent=False)
        self.register_buffer("position_ids", torch.arange(n), persistent=False)
        self.reset_parameters()

    def reset_parameters(self, std: float = 0.02) -> None:
        """CLIP-style init: N(0, 0.02) embeddings, scaled N(0, .) projections, zero biases."""
        g = self.config
        nn.init.normal_(self.token_embedding.weight, std=std)
        nn.init.normal_(self.position_embedding.weight, std=0.01)
        in_std = (g.hidden_size ** -0.5) * ((2 * g.num_hidden_layers) ** -0.5)
        for layer in self.layers:
            a = layer.self_attn
            for lin in (a.q_proj, a.k_proj, a.v_proj):
                nn.init.normal_(lin.weight, std=g.hidden_size ** -0.5)
            nn.init.normal_(a.out_proj.weight, std=in_std)
            nn.init.normal_(layer.fc1.weight, std=(2 * g.hidden_size) ** -0.5)
            nn.init.normal_(layer.fc2.weight, std=in_std)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, input_ids: torch.Tensor, output_hidden_states: bool = False) -> Tuple[torch.Tensor, ...]:
        ids = input_ids.to(torch.int64)
        n = ids.shape[1]
        x = self.token_embedding(ids) + self.position_embedding(self.position_ids[:n])
        mask = self.causal_mask[:n, :n]
        hidden_states = [x]
        for layer in self.layers:
            x = layer(x, mask)
            hidden_states.append(x)
        x = self.final_layer_norm(x)
        eos = ids.argmax(dim=-1)  # EOS has the highest id, so its first occurrence is the argmax
        pooled = x[torch.arange(x.shape[0]), eos]
        return (x, pooled, tuple(hidden_states)) if output_hidden_states else (x, pooled)


def config_dict(cfg: TextEncoderConfig, bos_token_id: int, eos_token_id: int) -> dict:
    """A CLIPTextConfig-shaped dict (the fields the Java side reads plus the usual HF ones)."""
    return {
        "_name_or_path": "latent-studio/clip-like-text-encoder",
        "architectures": ["CLIPTextModel"],
        "model_type": "clip_text_model",
        "hidden_act": cfg.hidden_act,
        "hidden_size": cfg.hidden_size,
        "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "vocab_size": cfg.vocab_size,
        "max_position_embeddings": cfg.max_position_embeddings,
        "layer_norm_eps": cfg.layer_norm_eps,
        "bos_token_id": bos_token_id,
        "eos_token_id": eos_token_id,
        "pad_token_id": eos_token_id,
        "projection_dim": cfg.hidden_size,
        "torch_dtype": "float32",
    }


def write_config(folder: str, cfg: TextEncoderConfig, bos_token_id: int, eos_token_id: int) -> None:
    """Write ``config.json`` for a text_encoder folder."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config_dict(cfg, bos_token_id, eos_token_id), f, indent=2)
        f.write("\n")


# transformers' CLIPTextModel (modeling_clip.py) names our parameters ``text_model.`` + these; the MLP sits
# one level deeper there. diffusers folders and single-file SD1.x checkpoints use its names.
_TO_TRANSFORMERS = (
    (r"(token_embedding|position_embedding)\.", r"text_model.embeddings.\1."),
    (r"layers\.(\d+)\.(fc1|fc2)\.", r"text_model.encoder.layers.\1.mlp.\2."),
    (r"layers\.(\d+)\.", r"text_model.encoder.layers.\1."),
    (r"final_layer_norm\.", r"text_model.final_layer_norm."),
)
_FROM_TRANSFORMERS = (
    (r"text_model\.embeddings\.(token_embedding|position_embedding)\.", r"\1."),
    (r"text_model\.encoder\.layers\.(\d+)\.mlp\.", r"layers.\1."),
    (r"text_model\.encoder\.layers\.(\d+)\.", r"layers.\1."),
    (r"text_model\.final_layer_norm\.", r"final_layer_norm."),
)
# A buffer that older transformers versions saved with the weights; it holds nothing to learn.
TRANSFORMERS_IGNORED = ("text_model.embeddings.position_ids",)


def _rename(name: str, rules) -> str:
    for pattern, replacement in rules:
        renamed, n = re.subn("^" + pattern, replacement, name)
        if n:
            return renamed
    raise KeyError(f"text encoder parameter {name!r} has no counterpart")


def to_transformers_names(state_dict: dict) -> dict:
    """Our state dict under CLIPTextModel's parameter names (text_model.encoder.layers.N.mlp.fc1.weight, ...)."""
    return {_rename(k, _TO_TRANSFORMERS): v for k, v in state_dict.items()}


def from_transformers_names(state_dict: dict) -> dict:
    """Inverse of ``to_transformers_names``; drops ``TRANSFORMERS_IGNORED`` buffers."""
    return {_rename(k, _FROM_TRANSFORMERS): v for k, v in state_dict.items() if k not in TRANSFORMERS_IGNORED}


def read_config(path: str) -> TextEncoderConfig:
    """Inverse of ``write_config`` (path of a config.json or its folder)."""
    if os.path.isdir(path):
        path = os.path.join(path, "config.json")
    with open(path) as f:
        d = json.load(f)
    fields = TextEncoderConfig.__dataclass_fields__
    return TextEncoderConfig(**{k: v for k, v in d.items() if k in fields})


def transformers_state_dict(module: CLIPLikeTextEncoder, position_ids: bool = True) -> dict:
    """CLIPTextModel's state dict for ``module``; ``position_ids`` adds the int64 [1, n] buffer that files saved
    by transformers before 4.31 carry (SD1.5's among them), which loaders must ignore."""
    sd = to_transformers_names(module.state_dict())
    if position_ids:
        sd[TRANSFORMERS_IGNORED[0]] = module.position_ids[None].clone()
    return sd


def load_transformers_state_dict(module: CLIPLikeTextEncoder, state_dict: dict) -> None:
    """Load a CLIPTextModel state dict: every parameter must be there and fit; position_ids is ignored."""
    module.load_state_dict(from_transformers_names(state_dict), strict=True)
