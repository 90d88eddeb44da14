"""Stable Diffusion 1.5's component configs (the diffusers repo's config.json files, diffusers v0.30.3).

What a loader assumes for a single-file checkpoint that comes with no config: everything here except
what the tensors' shapes give (channel counts, layer counts, widths, vocabulary size).
"""
from __future__ import annotations

import copy

from lsmodels import export

UNET = {
    "act_fn": "silu",
    "attention_head_dim": 8,  # diffusers' name; SD1.5 means 8 heads per attention (head size channels / 8)
    "block_out_channels": [320, 640, 1280, 1280],
    "center_input_sample": False,
    "cross_attention_dim": 768,
    "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    "downsample_padding": 1,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
    "in_channels": 4,
    "layers_per_block": 2,
    "mid_block_scale_factor": 1,
    "norm_eps": 1e-05,
    "norm_num_groups": 32,
    "out_channels": 4,
    "sample_size": 64,
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
}

VAE = {
    "act_fn": "silu",
    "block_out_channels": [128, 256, 512, 512],
    "down_block_types": ["DownEncoderBlock2D"] * 4,
    "in_channels": 3,
    "latent_channels": 4,
    "layers_per_block": 2,
    "norm_num_groups": 32,
    "out_channels": 3,
    "sample_size": 512,
    "scaling_factor": 0.18215,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
}

# CLIP ViT-L/14's text tower (openai/clip-vit-large-patch14), as lsmodels.text_encoder.TextEncoderConfig fields
TEXT_ENCODER = {
    "vocab_size": 49408,
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "max_position_embeddings": 77,
    "layer_norm_eps": 1e-5,
    "hidden_act": "quick_gelu",
}

SCHEDULER = export.SD15_SCHEDULER_CONFIG  # scheduler/scheduler_config.json: PNDM, scaled_linear


def unet(**overrides) -> dict:
    """SD1.5's UNet config with ``overrides`` (a fresh copy)."""
    return dict(copy.deepcopy(UNET), **overrides)


def vae(**overrides) -> dict:
    return dict(copy.deepcopy(VAE), **overrides)


def text_encoder(**overrides) -> dict:
    return dict(copy.deepcopy(TEXT_ENCODER), **overrides)
