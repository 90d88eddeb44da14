"""Export torch modules into a model folder in the optimum ONNX layout (see src/site/model-format.md).

``export_model_folder`` writes a whole checkpoint; the ``export_*`` functions write one component each,
so a caller can re-export a single part. Every graph has dynamic batch/height/width axes, the UNet's
``encoder_hidden_states`` also has a dynamic sequence axis, and every file is run through onnx.checker.
Axis names: ``height``/``width`` within one graph mean the same size (the VAE's pixel axes are named
apart from its ``latent_height``/``latent_width``, 8x smaller, as optimum does).
"""
from __future__ import annotations

import io
import json
import os
from typing import Dict, Optional, Sequence, Tuple

import onnx
import torch
from torch import nn

from . import bpe_vocab
from .text_encoder import CLIPLikeTextEncoder, write_config as write_text_encoder_config

OPSET = 17  # torch 1.13 exports up to 17, which has LayerNormalization as one op
EXTERNAL_DATA_SUFFIX = "_data"  # optimum's name: model.onnx -> model.onnx_data
DIFFUSERS_VERSION = "0.30.3"

# SD1.5's scheduler/scheduler_config.json, as quoted in model-format.md.
SD15_SCHEDULER_CONFIG = {
    "_class_name": "PNDMScheduler",
    "_diffusers_version": DIFFUSERS_VERSION,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "trained_betas": None,
}

MODEL_INDEX = {
    "_class_name": "OnnxStableDiffusionPipeline",
    "_diffusers_version": DIFFUSERS_VERSION,
    "feature_extractor": [None, None],
    "requires_safety_checker": False,
    "safety_checker": [None, None],
    "scheduler": ["diffusers", "PNDMScheduler"],
    "text_encoder": ["diffusers", "OnnxRuntimeModel"],
    "tokenizer": ["transformers", "CLIPTokenizer"],
    "unet": ["diffusers", "OnnxRuntimeModel"],
    "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
    "vae_encoder": ["diffusers", "OnnxRuntimeModel"],
}


def _write_json(path: str, obj) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------------------------------------------
# ONNX plumbing


def _to_onnx(module: nn.Module, args: Tuple[torch.Tensor, ...], input_names: Sequence[str],
             output_names: Sequence[str], dynamic_axes: Dict[str, Dict[int, str]]) -> onnx.ModelProto:
    buf = io.BytesIO()
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, buf, input_names=list(input_names), output_names=list(output_names),
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    return onnx.load_from_string(buf.getvalue())


def save_onnx(model: onnx.ModelProto, path: str, external_data: bool = False) -> None:
    """Save ``model`` to ``path`` (all weights in one ``<name>_data`` file next to it if asked) and check it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data_name = os.path.basename(path) + EXTERNAL_DATA_SUFFIX
    data_path = os.path.join(os.path.dirname(path), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)  # onnx appends to an existing data file
    if external_data:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data_name, size_threshold=0)
    else:
        onnx.save_model(model, path)
    onnx.checker.check_model(path)  # path form: also follows external data


# Wrappers give each graph the names and signatures of model-format.md.

class _UNetWrapper(nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


class _VaeDecoderWrapper(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample, return_dict=False)[0]


class _VaeEncoderWrapper(nn.Module):
    """Outputs the 8-channel moments (mean || logvar) that DiagonalGaussianDistribution is built from."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, sample):
        h = self.vae.encoder(sample)
        return self.vae.quant_conv(h) if self.vae.quant_conv is not None else h


class _TextEncoderWrapper(nn.Module):
    def __init__(self, text_encoder):
        super().__init__()
        self.text_encoder = text_encoder

    def forward(self, input_ids):
        return self.text_encoder(input_ids)


def export_text_encoder(text_encoder: CLIPLikeTextEncoder, path: str) -> onnx.ModelProto:
    """input_ids int32 [batch, 77] -> last_hidden_state [batch, 77, hidden], pooler_output [batch, hidden]."""
    n = text_encoder.config.max_position_embeddings
    ids = torch.zeros((1, n), dtype=torch.int32)
    ids[0, 0], ids[0, 1:] = text_encoder.config.vocab_size - 2, text_encoder.config.vocab_size - 1
    model = _to_onnx(_TextEncoderWrapper(text_encoder), (ids,), ["input_ids"],
                     ["last_hidden_state", "pooler_output"],
                     {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}, "pooler_output": {0: "batch"}})
    # The position slice leaves the exporter unsure of the sequence length; it is the input's, 77.
    model.graph.output[0].type.tensor_type.shape.dim[1].dim_value = n
    save_onnx(model, path)
    return model


def export_unet(unet, path: str, external_data: bool = False,
                timestep_dtype: torch.dtype = torch.int64) -> onnx.ModelProto:
    """sample [batch, 4, h, w], timestep [1], encoder_hidden_states [batch, seq, dim] -> out_sample.

    The timestep is int64 as optimum exports SD1.5; pass torch.float32 to keep the fractional timesteps
    that Karras and linspace schedules give Euler-type samplers (an int64 input truncates them).
    """
    cfg = unet.config
    s = cfg.sample_size if isinstance(cfg.sample_size, int) else cfg.sample_size[0]
    # Trace with batch 2 and unequal h/w, so no axis can be mistaken for another or for a constant.
    sample = torch.randn(2, cfg.in_channels, s, s + 2 ** (len(cfg.block_out_channels) - 1))
    timestep = torch.tensor([999], dtype=timestep_dtype)
    states = torch.randn(2, 77, cfg.cross_attention_dim)
    model = _to_onnx(_UNetWrapper(unet), (sample, timestep, states),
                     ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                     {"sample": {0: "batch", 2: "height", 3: "width"},
                      "encoder_hidden_states": {0: "batch", 1: "sequence"},
                      "out_sample": {0: "batch", 2: "height", 3: "width"}})
    save_onnx(model, path, external_data)
    return model


def export_vae_decoder(vae, path: str) -> onnx.ModelProto:
    """latent_sample [batch, 4, h, w] -> sample [batch, 3, 8h, 8w]."""
    c = vae.config.latent_channels
    model = _to_onnx(_VaeDecoderWrapper(vae), (torch.randn(1, c, 8, 10),), ["latent_sample"], ["sample"],
                     {"latent_sample": {0: "batch", 2: "latent_height", 3: "latent_width"},
                      "sample": {0: "batch", 2: "height", 3: "width"}})
    save_onnx(model, path)
    return model


def export_vae_encoder(vae, path: str) -> onnx.ModelProto:
    """sample [batch, 3, H, W] -> latent_parameters [batch, 8, H/8, W/8] (mean then logvar)."""
    f = 2 ** (len(vae.config.block_out_channels) - 1)
    model = _to_onnx(_VaeEncoderWrapper(vae), (torch.randn(1, vae.config.in_channels, 8 * f, 10 * f),),
                     ["sample"], ["latent_parameters"],
                     {"sample": {0: "batch", 2: "height", 3: "width"},
                      "latent_parameters": {0: "batch", 2: "latent_height", 3: "latent_width"}})
    save_onnx(model, path)
    return model


# ---------------------------------------------------------------------------------------------------
# JSON side files


def write_tokenizer(folder: str, vocab: Dict[str, int], merges, model_max_length: int = 77) -> None:
    """vocab.json, merges.txt, tokenizer_config.json and special_tokens_map.json as SD1.5 ships them."""
    bpe_vocab.write_vocab(folder, vocab, merges)

    def added(content):
        return {"__type": "AddedToken", "content": content, "lstrip": False, "normalized": True,
                "rstrip": False, "single_word": False}

    _write_json(os.path.join(folder, "tokenizer_config.json"), {
        "add_prefix_space": False,
        "bos_token": added(bpe_vocab.BOS),
        "do_lower_case": True,
        "eos_token": added(bpe_vocab.EOS),
        "errors": "replace",
        "model_max_length": model_max_length,
        "pad_token": bpe_vocab.EOS,
        "tokenizer_class": "CLIPTokenizer",
        "unk_token": added(bpe_vocab.EOS),
    })
    special = {k: {key: v for key, v in added(c).items() if key != "__type"}
               for k, c in (("bos_token", bpe_vocab.BOS), ("eos_token", bpe_vocab.EOS), ("unk_token", bpe_vocab.EOS))}
    special["pad_token"] = bpe_vocab.EOS
    _write_json(os.path.join(folder, "special_tokens_map.json"), special)


def write_scheduler_config(folder: str, config: Optional[dict] = None) -> None:
    _write_json(os.path.join(folder, "scheduler_config.json"), dict(config or SD15_SCHEDULER_CONFIG))


def write_model_index(out_dir: str) -> None:
    _write_json(os.path.join(out_dir, "model_index.json"), MODEL_INDEX)


def write_diffusers_config(module, folder: str) -> None:
    """config.json of a diffusers ConfigMixin (UNet2DConditionModel, AutoencoderKL)."""
    os.makedirs(folder, exist_ok=True)
    module.save_config(folder)
    # diffusers records the folder the weights were loaded from: a path on the training machine, not shipped
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        config = json.load(f)
    if config.pop("_name_or_path", None) is not None:
        with open(path, "w") as f:
            json.dump(config, f, indent=2, sort_keys=True)
            f.write("\n")


def write_latent_rgb_factors(out_dir: str, factors: Sequence[Sequence[float]], bias: Sequence[float]) -> None:
    """preview/latent_rgb_factors.json: rgb = latent(4) @ factors(4x3) + bias(3), for live previews."""
    factors = [[float(v) for v in row] for row in factors]
    if len(factors) != 4 or any(len(row) != 3 for row in factors) or len(bias) != 3:
        raise ValueError("factors must be 4x3 and bias 3 long")
    _write_json(os.path.join(out_dir, "preview", "latent_rgb_factors.json"),
                {"factors": factors, "bias": [float(b) for b in bias]})


def export_model_folder(out_dir: str, text_encoder: CLIPLikeTextEncoder, unet, vae,
                        vocab: Dict[str, int], merges, *, scheduler_config: Optional[dict] = None,
                        unet_external_data: bool = False, unet_timestep_dtype: torch.dtype = torch.int64,
                        latent_rgb: Optional[Tuple[Sequence[Sequence[float]], Sequence[float]]] = None) -> None:
    """Write a complete checkpoint folder: model_index, scheduler, tokenizer and the four ONNX models."""
    if text_encoder.config.hidden_size != unet.config.cross_attention_dim:
        raise ValueError("text encoder hidden_size must equal the UNet's cross_attention_dim")
    os.makedirs(out_dir, exist_ok=True)
    write_model_index(out_dir)
    write_scheduler_config(os.path.join(out_dir, "scheduler"), scheduler_config)
    write_tokenizer(os.path.join(out_dir, "tokenizer"), vocab, merges)

    te_dir = os.path.join(out_dir, "text_encoder")
    export_text_encoder(text_encoder, os.path.join(te_dir, "model.onnx"))
    write_text_encoder_config(te_dir, text_encoder.config, vocab[bpe_vocab.BOS], vocab[bpe_vocab.EOS])

    unet_dir = os.path.join(out_dir, "unet")
    export_unet(unet, os.path.join(unet_dir, "model.onnx"), unet_external_data, unet_timestep_dtype)
    write_diffusers_config(unet, unet_dir)

    for name, export in (("vae_decoder", export_vae_decoder), ("vae_encoder", export_vae_encoder)):
        folder = os.path.join(out_dir, name)
        export(vae, os.path.join(folder, "model.onnx"))
        write_diffusers_config(vae, folder)

    if latent_rgb is not None:
        write_latent_rgb_factors(out_dir, *latent_rgb)


def describe(path: str) -> str:
    """One line per graph input/output: name, dtype, shape (dim names for dynamic axes)."""
    model = onnx.load(path, load_external_data=False)
    lines = []
    for kind, values in (("in", model.graph.input), ("out", model.graph.output)):
        for v in values:
            t = v.type.tensor_type
            dims = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
            lines.append(f"{kind:3} {v.name}: {onnx.TensorProto.DataType.Name(t.elem_type).lower()} {dims}")
    return "\n".join(lines)
