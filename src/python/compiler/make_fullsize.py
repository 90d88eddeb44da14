#!/usr/bin/env python3
"""A random-weight checkpoint with Stable Diffusion 1.5's exact architecture, for the compiler's benchmark.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python \\
      /usr/bin/python3 src/python/compiler/make_fullsize.py --out /work/fullsize

Not part of CI, and its output is never committed (about 6 GB). Writes under --out:

  sd15-random-fp16.safetensors  one single-file original (LDM) checkpoint, fp16, ~2 GB: UNet 860M, text
                                encoder 123M (CLIP ViT-L/14 text: 12 layers, width 768, vocabulary 49408),
                                VAE 84M parameters, plus the noise-schedule buffers and position_ids
  optimum/                      the same weights upcast to float32 as an ONNX model folder in the optimum
                                layout: unet/model.onnx + model.onnx_data (torch.onnx, opset 14 as optimum
                                exports SD1.5's UNet; inputs sample, timestep int64 [1],
                                encoder_hidden_states; output out_sample), text_encoder, vae_decoder,
                                vae_encoder (lsmodels.export, opset 17), tokenizer (real CLIP vocabulary),
                                scheduler, model_index.json
  reference/                    one UNet call in torch (sample [1,4,32,32], t 981, encoder_hidden_states
                                [1,77,768]) -> out_sample, float32 .npy, to check either graph at full size
  fullsize.json                 parameter counts, file sizes, timings, peak memory

``--check-onnx`` then runs the exported UNet on reference/ with lsmodels' numpy evaluator (measured: max
|diff| 1.2e-6 x max |reference|).

Initialisation: diffusers' own (PyTorch's default module init, which UNet2DConditionModel and AutoencoderKL
keep) and lsmodels.text_encoder's CLIP-style init; every weight is then rounded to fp16, so the single file
and the float32 ONNX graphs hold the same values. Peak memory 8.3 GB (measured); check `free -g` first.
Measured on the shared 2-core machine at load ~18: 40 min wall (288 s user), of which the UNet's torch.onnx
export took 30 min; sizes: single file 2.0 GiB, optimum/ 4.0 GiB.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sys
import time

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from compiler import checkpoint_files as cf, ldm_format, sd15  # noqa: E402
from lsmodels import bpe_vocab, diffusers_patches, export  # noqa: E402
from lsmodels import text_encoder as te  # noqa: E402

SEED = 1505
UNET_OPSET = 14  # optimum's UNetOnnxConfig.DEFAULT_ONNX_OPSET


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20


def count(m) -> int:
    return sum(p.numel() for p in m.parameters())


@torch.no_grad()
def build():
    from diffusers import AutoencoderKL, UNet2DConditionModel
    torch.manual_seed(SEED)
    unet = UNet2DConditionModel.from_config(sd15.UNET).eval()
    vae = AutoencoderKL.from_config(sd15.VAE).eval()
    text = te.CLIPLikeTextEncoder(te.TextEncoderConfig(**sd15.TEXT_ENCODER)).eval()
    for m in (unet, vae, text):
        for p in m.parameters():
            p.copy_(p.half().float())  # the fp16 file and the fp32 graphs then hold the same values
    return text, unet, vae


def sd15_layout_names():
    """SD1.5's LDM names for diffusers' UNet/VAE prefixes, from SD1.5's fixed layout (4 levels, 2 layers,
    no attention in down block 3 or up block 0), written out independently of ldm_format's general rule."""
    pairs = []
    for i in range(4):
        for j in range(2):
            pairs.append((f"down_blocks.{i}.resnets.{j}.", f"input_blocks.{3 * i + j + 1}.0."))
            if i < 3:
                pairs.append((f"down_blocks.{i}.attentions.{j}.", f"input_blocks.{3 * i + j + 1}.1."))
        for j in range(3):
            pairs.append((f"up_blocks.{i}.resnets.{j}.", f"output_blocks.{3 * i + j}.0."))
            if i > 0:
                pairs.append((f"up_blocks.{i}.attentions.{j}.", f"output_blocks.{3 * i + j}.1."))
        if i < 3:
            pairs.append((f"down_blocks.{i}.downsamplers.0.conv.", f"input_blocks.{3 * (i + 1)}.0.op."))
            pairs.append((f"up_blocks.{i}.upsamplers.0.conv.", f"output_blocks.{3 * i + 2}.{1 if i == 0 else 2}.conv."))
    vae = []
    for i in range(4):
        vae.append((f"encoder.down_blocks.{i}.resnets.", f"encoder.down.{i}.block."))
        vae.append((f"decoder.up_blocks.{i}.resnets.", f"decoder.up.{3 - i}.block."))
        if i < 3:
            vae.append((f"encoder.down_blocks.{i}.downsamplers.0.", f"encoder.down.{i}.downsample."))
            vae.append((f"decoder.up_blocks.{i}.upsamplers.0.", f"decoder.up.{3 - i}.upsample."))
    return pairs, vae


def check_sd15_layout(unet_sd, vae_sd) -> int:
    """Every block-level name ldm_format gives SD1.5 must be the one SD1.5's fixed layout gives.
    Returns how many keys were checked."""
    unet_pairs, vae_pairs = sd15_layout_names()
    checked = 0
    for key in unet_sd:
        ldm = ldm_format._unet_key(key, sd15.UNET)
        for prefix, want in unet_pairs:
            if key.startswith(prefix):
                if not ldm.startswith(want):
                    raise AssertionError(f"{key} -> {ldm}, SD1.5's layout says {want}...")
                checked += 1
    for key in vae_sd:
        ldm, _ = ldm_format._vae_key(key, sd15.VAE)
        for prefix, want in vae_pairs:
            if key.startswith(prefix):
                if not ldm.startswith(want):
                    raise AssertionError(f"{key} -> {ldm}, SD1.5's layout says {want}...")
                checked += 1
    return checked


class _UNet(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


def trace_unet(unet, tmp: str) -> None:
    """torch.onnx at opset 14 like optimum. Over 2 GB, torch writes one file per initializer beside it."""
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    sample = torch.randn(2, 4, 32, 40)  # batch 2, h != w: no axis can pass for another or a constant
    with torch.no_grad():
        torch.onnx.export(_UNet(unet), (sample, torch.tensor([981], dtype=torch.int64), torch.randn(2, 77, 768)),
                          os.path.join(tmp, "model.onnx"), input_names=["sample", "timestep", "encoder_hidden_states"],
                          output_names=["out_sample"], opset_version=UNET_OPSET, do_constant_folding=True,
                          dynamic_axes={"sample": {0: "batch", 2: "height", 3: "width"},
                                        "encoder_hidden_states": {0: "batch", 1: "sequence"},
                                        "out_sample": {0: "batch", 2: "height", 3: "width"}})


def consolidate(tmp: str, folder: str) -> None:
    """All weights into one model.onnx_data, as optimum saves a UNet over 2 GB."""
    model = onnx.load(os.path.join(tmp, "model.onnx"))
    path = os.path.join(folder, "model.onnx")
    for f in ("model.onnx", "model.onnx" + export.EXTERNAL_DATA_SUFFIX):
        if os.path.exists(os.path.join(folder, f)):
            os.remove(os.path.join(folder, f))
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx" + export.EXTERNAL_DATA_SUFFIX, size_threshold=1024)
    del model
    shutil.rmtree(tmp)
    onnx.checker.check_model(path)


def check_onnx_unet(out: str) -> float:
    """The exported UNet on the reference input with lsmodels' numpy evaluator (onnxruntime is not installed
    here): max |diff| / max |torch's output|. About 2.5 min and 7 GB."""
    from lsmodels import onnx_eval
    model = onnx.load(os.path.join(out, "optimum", "unet", "model.onnx"))
    ref = os.path.join(out, "reference")
    feeds = {"sample": np.load(os.path.join(ref, "unet.sample.npy")), "timestep": np.array([981], dtype=np.int64),
             "encoder_hidden_states": np.load(os.path.join(ref, "unet.encoder_hidden_states.npy"))}
    got = onnx_eval.run(model, feeds)["out_sample"]
    want = np.load(os.path.join(ref, "unet.out_sample.npy"))
    return float(np.abs(got - want).max() / np.abs(want).max())


def file_size(path: str) -> int:
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def main(argv=None):
    repo = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output folder, outside the repository (e.g. /work/fullsize)")
    ap.add_argument("--clip-tokenizer", default=os.path.join(repo, "..", "shared", "clip-tokenizer"))
    ap.add_argument("--check-onnx", action="store_true",
                    help="only check an existing --out: its ONNX UNet against reference/ (numpy evaluator)")
    args = ap.parse_args(argv)
    out = os.path.abspath(args.out)
    if args.check_onnx:
        err = check_onnx_unet(out)
        print(f"optimum/unet/model.onnx vs torch at 32x32: max |diff| {err:.2e} x max |reference|")
        return 0 if err < 1e-4 else 1
    if out == repo or out.startswith(repo + os.sep):
        raise SystemExit(f"--out {out} is inside the repository; the output is ~6 GB and never committed")
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(2)
    diffusers_patches.zeroed_attention_scores_input()
    report, times = {}, {}
    t0 = start = time.time()

    text, unet, vae = build()
    report["parameters"] = {"unet": count(unet), "text_encoder": count(text), "vae": count(vae)}
    times["build"] = time.time() - t0
    print(f"built {report['parameters']} in {times['build']:.0f}s", flush=True)

    # activations stay finite and of sane scale at full size
    t0 = time.time()
    g = torch.Generator().manual_seed(SEED + 1)
    vocab, merges = bpe_vocab.read_vocab(args.clip_tokenizer)
    tok = bpe_vocab.Tokenizer(vocab, merges)
    with torch.no_grad():
        states = text(torch.tensor([tok("a photograph of an astronaut riding a horse")]))[0]
        sample = torch.randn(1, 4, 32, 32, generator=g)
        out_sample = unet(sample, torch.tensor(981.0), encoder_hidden_states=states).sample
        image = vae.decode(torch.randn(1, 4, 32, 32, generator=g) / 0.18215).sample
    for name, t in (("text encoder", states), ("unet", out_sample), ("vae decoder", image)):
        if not torch.isfinite(t).all():
            raise RuntimeError(f"{name}: non-finite output with random weights")
        print(f"  {name} output std {float(t.std()):.3f}", flush=True)
    ref = os.path.join(out, "reference")
    os.makedirs(ref, exist_ok=True)
    np.save(os.path.join(ref, "unet.sample.npy"), sample.numpy())
    np.save(os.path.join(ref, "unet.encoder_hidden_states.npy"), states.numpy())
    np.save(os.path.join(ref, "unet.out_sample.npy"), out_sample.numpy())
    report["reference"] = {"timestep": 981.0, "prompt": "a photograph of an astronaut riding a horse",
                           "files": ["reference/unet.sample.npy", "reference/unet.encoder_hidden_states.npy",
                                     "reference/unet.out_sample.npy"]}
    times["sanity_run"] = time.time() - t0

    # the single file
    t0 = time.time()
    sds = {"unet": unet.state_dict(), "vae": vae.state_dict(), "text_encoder": te.transformers_state_dict(text)}
    checked = check_sd15_layout(sds["unet"], sds["vae"])
    print(f"  {checked} UNet/VAE names agree with SD1.5's fixed LDM layout", flush=True)
    ldm = ldm_format.to_ldm(sds["unet"], sd15.UNET, sds["vae"], sd15.VAE, sds["text_encoder"])
    ldm.update(ldm_format.noise_schedule_buffers())
    ldm.update(ldm_format.ema_scalars())
    ldm = cf.cast_floats(ldm, torch.float16)
    unet_back, vae_back, clip_back = ldm_format.from_ldm(ldm, sd15.UNET, sd15.VAE)
    for name, got, want in (("convert_ldm_unet_checkpoint", unet_back, sds["unet"]),
                            ("convert_ldm_vae_checkpoint", vae_back, sds["vae"]),
                            ("convert_ldm_clip_checkpoint", clip_back, sds["text_encoder"])):
        print("  " + ldm_format.compare_state_dicts(name, got, want, torch.float16), flush=True)
    del unet_back, vae_back, clip_back
    single = os.path.join(out, "sd15-random-fp16.safetensors")
    cf.write_safetensors(single, ldm)
    report["single_file"] = {"path": os.path.basename(single), "tensors": len(ldm), "bytes": file_size(single)}
    del ldm, sds
    gc.collect()
    times["single_file"] = time.time() - t0
    print(f"wrote {single}: {report['single_file']['bytes'] / 2 ** 30:.2f} GiB in {times['single_file']:.0f}s "
          f"(peak RSS {peak_rss_gib():.1f} GiB)", flush=True)

    # the optimum-style ONNX folder
    t0 = time.time()
    folder = os.path.join(out, "optimum")
    export.write_model_index(folder)
    export.write_scheduler_config(os.path.join(folder, "scheduler"), sd15.SCHEDULER)
    export.write_tokenizer(os.path.join(folder, "tokenizer"), vocab, merges)
    unet_dir = os.path.join(folder, "unet")
    export.write_diffusers_config(unet, unet_dir)
    trace_unet(unet, os.path.join(unet_dir, ".export"))
    del unet  # before the ONNX copy of its weights is loaded
    gc.collect()
    consolidate(os.path.join(unet_dir, ".export"), unet_dir)
    times["onnx_unet"] = time.time() - t0
    print(f"exported optimum/unet in {times['onnx_unet']:.0f}s (peak RSS {peak_rss_gib():.1f} GiB)", flush=True)
    t0 = time.time()
    te_dir = os.path.join(folder, "text_encoder")
    export.export_text_encoder(text, os.path.join(te_dir, "model.onnx"))
    te.write_config(te_dir, text.config, tok.bos_token_id, tok.eos_token_id)
    for name, fn in (("vae_decoder", export.export_vae_decoder), ("vae_encoder", export.export_vae_encoder)):
        fn(vae, os.path.join(folder, name, "model.onnx"))
        export.write_diffusers_config(vae, os.path.join(folder, name))
    times["onnx_others"] = time.time() - t0

    report["files"] = {os.path.relpath(os.path.join(r, f), out): os.path.getsize(os.path.join(r, f))
                       for r, _, fs in os.walk(out) for f in sorted(fs) if f != "fullsize.json"}
    report["seconds"] = {k: round(v, 1) for k, v in times.items()}
    report["seconds"]["total"] = round(time.time() - start, 1)
    report["peak_rss_gib"] = round(peak_rss_gib(), 2)
    report["load"] = os.getloadavg()
    with open(os.path.join(out, "fullsize.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(json.dumps({k: report[k] for k in ("parameters", "seconds", "peak_rss_gib")}))
    for k, v in sorted(report["files"].items()):
        if v > 2 ** 20:
            print(f"  {k}: {v / 2 ** 20:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
