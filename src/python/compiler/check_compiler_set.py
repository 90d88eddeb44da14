#!/usr/bin/env python3
"""Check the compiler test set from its files alone: every form loads back to the references it claims.

  PYTHONPATH=/work/shared/tools/py-shims:/work/pydeps:src/python /usr/bin/python3 src/python/compiler/check_compiler_set.py

For every model and form of manifest.json the models are loaded *from the files*, the way a user's
loader would: diffusers folders with ``from_pretrained`` (``variant="fp16"`` for the fp16 files), single
files and the .ckpt with diffusers' ``from_single_file`` (config=the form's folder) or, for the
config-less model, diffusers' single_file_utils conversions into modules built from SD1.5's config and
the shapes. Then:
  - the safetensors files pass a strict reader (offsets, byte counts, no gaps), in the Rust library's layout;
  - the single files' tensors convert back (diffusers' conversions) to exactly the diffusers folder's tensors,
    rounded to the file's dtype, and carry the extra keys the manifest lists;
  - every component reference is reproduced from the loaded modules (max |diff| <= 1e-5 x max |ref|);
  - every end-to-end case re-runs from the loaded modules to the same latents and image;
  - prompt_ids match the tokenizer; every file under the folder is named in the manifest;
  - fixtures: evil.ckpt names posix.system (read with pickletools, never unpickled), torch's zip layout;
    legacy.ckpt is not a zip file.
Exits non-zero on the first failure.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from compiler import checkpoint_files as cf, ldm_format  # noqa: E402
from lsmodels import bpe_vocab, diffusers_patches, reference_pipeline  # noqa: E402
from lsmodels import text_encoder as te  # noqa: E402

POSITION_IDS = te.TRANSFORMERS_IGNORED[0]  # text_model.embeddings.position_ids
REL_TOL = 1e-5


def check(cond, msg):
    if not cond:
        raise SystemExit(f"FAIL: {msg}")


def close(name, got, want, tol=REL_TOL):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    check(got.shape == want.shape, f"{name}: shape {got.shape} != {want.shape}")
    err = np.abs(got - want).max() / max(np.abs(want).max(), 1e-12)
    check(err <= tol, f"{name}: max |diff| {err:.2e} x max |ref| > {tol:.0e}")
    return err


class Loaded:
    """The three modules of one form, loaded from its files, computing in float32."""

    def __init__(self, root, model, form):
        from diffusers import AutoencoderKL, UNet2DConditionModel
        self.root, self.model, self.form = root, model, form
        path = os.path.join(root, form["path"])
        cfgs = model["configs"]
        if form["kind"] == "diffusers":
            kw = dict(variant=form["variant"], local_files_only=True)
            self.unet = UNet2DConditionModel.from_pretrained(path, subfolder="unet", **kw)
            self.vae = AutoencoderKL.from_pretrained(path, subfolder="vae", **kw)
            infix = f".{form['variant']}" if form["variant"] else ""
            clip, _ = cf.read_safetensors(os.path.join(path, "text_encoder", f"model{infix}.safetensors"))
            text_cfg = te.read_config(os.path.join(path, "text_encoder"))
        else:
            from diffusers.loaders.single_file_utils import load_single_file_checkpoint
            checkpoint = load_single_file_checkpoint(path)
            if form["config"]:  # what from_single_file(config=...) does
                config = os.path.join(root, form["config"])
                kw = dict(config=config, local_files_only=True)
                self.unet = UNet2DConditionModel.from_single_file(path, subfolder="unet", **kw)
                self.vae = AutoencoderKL.from_single_file(path, subfolder="vae", **kw)
                text_cfg = te.read_config(os.path.join(config, "text_encoder"))
            else:  # no config: SD1.5's values plus the shapes (diffusers itself would fetch SD1.5's sizes)
                unet_sd, vae_sd, _ = ldm_format.from_ldm(checkpoint, cfgs["unet"], cfgs["vae"])
                self.unet = UNet2DConditionModel.from_config(cfgs["unet"])
                self.unet.load_state_dict(unet_sd)
                self.vae = AutoencoderKL.from_config(cfgs["vae"])
                self.vae.load_state_dict(vae_sd)
                fields = te.TextEncoderConfig.__dataclass_fields__
                text_cfg = te.TextEncoderConfig(**{k: v for k, v in cfgs["text_encoder"].items() if k in fields})
            from diffusers.loaders.single_file_utils import convert_ldm_clip_checkpoint
            clip = convert_ldm_clip_checkpoint(checkpoint)
        self.text_encoder = te.CLIPLikeTextEncoder(text_cfg)
        te.load_transformers_state_dict(self.text_encoder, clip)
        for m in (self.text_encoder, self.unet, self.vae):
            m.float().eval()


def check_files_named(root, manifest):
    named = {"manifest.json", "README.md"}

    def walk(o):
        if isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, str) and ("/" in o or o.endswith((".npy", ".png"))):
            if os.path.isfile(os.path.join(root, o)):
                named.add(o)
    walk(manifest)
    present = {os.path.relpath(os.path.join(r, f), root) for r, _, fs in os.walk(root) for f in fs}
    stray = sorted(present - named)
    check(not stray, f"files not named in the manifest: {stray[:5]}")
    for m in manifest["models"].values():
        for form in m["forms"].values():
            for f in form["files"]:
                check(os.path.isfile(os.path.join(root, f)), f"missing {f}")
    print(f"  all {len(present)} files named in the manifest, all named files present")


def check_safetensors_layout(path, want_dtypes):
    tensors, _ = cf.read_safetensors(path)
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
    check(n % 8 == 0, f"{path}: header length {n} not a multiple of 8")
    names = [k for k in header if k != "__metadata__"]
    check(names == sorted(names, key=lambda k: ([-cf._RANK[header[k]["dtype"]], k])),
          f"{path}: tensors not in the safetensors library's order")
    dtypes = {header[k]["dtype"] for k in names}
    check(dtypes <= set(want_dtypes), f"{path}: dtypes {sorted(dtypes)}, expected within {want_dtypes}")
    return tensors


def check_single_file(root, model, form, reference):
    """Tensors of a single file vs the diffusers state dicts (``reference``: a Loaded fp32 model)."""
    from diffusers.loaders.single_file_utils import load_single_file_checkpoint
    path = os.path.join(root, form["path"])
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[form["weights"]]
    if path.endswith(".safetensors"):
        check_safetensors_layout(path, {"F32", "F16", "BF16", "I64", "I32"})
    else:
        with zipfile.ZipFile(path) as z:
            stem = os.path.splitext(os.path.basename(path))[0]
            names = z.namelist()
            check(f"{stem}/data.pkl" in names and f"{stem}/version" in names, f"{path}: not torch's zip layout")
        check(set(cf.pickle_globals(path)) <= {"collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                                               "torch.FloatStorage", "torch.HalfStorage", "torch.LongStorage",
                                               "torch.IntStorage"}, f"{path}: unexpected pickle globals")
    checkpoint = load_single_file_checkpoint(path)  # .ckpt: torch.load(weights_only=True)
    unet, vae, clip = ldm_format.from_ldm(checkpoint, model["configs"]["unet"], model["configs"]["vae"])
    want = {"unet": reference.unet.state_dict(), "vae": reference.vae.state_dict(),
            "text_encoder": te.transformers_state_dict(reference.text_encoder)}
    for name, got in (("unet", unet), ("vae", vae), ("text_encoder", clip)):
        ldm_format.compare_state_dicts(f"{form['path']} {name}", got, want[name], dtype)
    used = {k for k in checkpoint if k.startswith((ldm_format.UNET_PREFIX, ldm_format.VAE_PREFIX,
                                                   ldm_format.CLIP_PREFIX))}
    used.discard(ldm_format.CLIP_PREFIX + POSITION_IDS)
    extra = set(checkpoint) - used
    listed = [k for k in form["ignored_keys"] if not k.startswith("model_ema.<")]
    check(set(listed) <= set(checkpoint), f"{path}: lacks ignored keys {sorted(set(listed) - set(checkpoint))[:3]}")
    check(ldm_format.CLIP_PREFIX + POSITION_IDS in checkpoint, f"{path}: no position_ids")
    ema = [k for k in extra if k.startswith("model_ema.") and k not in listed]
    check(bool(ema) == form["model_ema"], f"{path}: model_ema.* shadow weights {'missing' if form['model_ema'] else 'present'}")
    check(extra - set(ema) == set(listed), f"{path}: extra keys {sorted(extra - set(ema) - set(listed))[:3]}")
    print(f"    {form['path']}: {len(used)} model tensors convert back bit-identical ({form['weights']}); "
          f"{len(extra)} extra keys" + (f" ({len(ema)} model_ema.*)" if ema else ""))


@torch.no_grad()
def check_components(root, model, form, loaded):
    refs = model["components"]
    inp, out = refs["inputs"], refs["outputs"][form["weights"]]
    load = lambda rel: torch.from_numpy(np.load(os.path.join(root, rel)))  # noqa: E731
    ids = load(inp["text_encoder"]["input_ids"])
    last, pooled, hidden = loaded.text_encoder(ids, output_hidden_states=True)
    errs = [close("last_hidden_state", last, load(out["text_encoder"]["last_hidden_state"])),
            close("pooler_output", pooled, load(out["text_encoder"]["pooler_output"])),
            close("clip_skip_2", loaded.text_encoder.final_layer_norm(hidden[-2]),
                  load(out["text_encoder"]["clip_skip_2"]))]
    for c, o in zip(inp["unet"], out["unet"]):
        y = loaded.unet(load(c["sample"]), torch.tensor(c["timestep"]),
                        encoder_hidden_states=load(c["encoder_hidden_states"])).sample
        errs.append(close(f"unet {c['name']}", y, load(o["out_sample"])))
    errs.append(close("vae_decoder", loaded.vae.decode(load(inp["vae_decoder"]["latent_sample"])).sample,
                      load(out["vae_decoder"]["sample"])))
    errs.append(close("vae_encoder", loaded.vae.encode(load(inp["vae_encoder"]["sample"])).latent_dist.parameters,
                      load(out["vae_encoder"]["latent_parameters"])))
    print(f"    {form['path']}{' (' + form['variant'] + ')' if form['variant'] else ''}: "
          f"{len(errs)} component references reproduced (max err {max(errs):.1e} x max |ref|)")


def tokenizer_for(root, model, clip_tokenizer):
    folder = clip_tokenizer if model["tokenizer"] == "clip" else os.path.join(root, model["tokenizer"])
    return bpe_vocab.Tokenizer.from_folder(folder)


def check_case(root, case, loaded, tok, scheduler_config):
    comp = reference_pipeline.Components(tok, loaded.text_encoder, loaded.unet, loaded.vae, scheduler_config)
    kw = dict(negative_prompt=case["negative_prompt"], seed=case["seed"], steps=case["steps"],
              guidance_scale=case["guidance_scale"], sampler=case["sampler"], schedule=case["scheduler"],
              eta=case["eta"])
    if case["init_image"]:
        init = Image.open(os.path.join(root, case["init_image"])).convert("RGB")
        r = reference_pipeline.img2img(comp, case["prompt"], init, strength=case["strength"], **kw)
    else:
        r = reference_pipeline.txt2img(comp, case["prompt"], width=case["width"], height=case["height"], **kw)
    want = np.load(os.path.join(root, case["latents"]))
    check(list(want.shape) == case["latents_shape"], f"{case['name']}: latents_shape")
    f = case["vae_scale_factor"]
    check(case["latents_shape"][2:] == [case["height"] // f, case["width"] // f], f"{case['name']}: size vs factor")
    err = close(f"{case['name']} latents", r.latents, want)
    img = np.asarray(r.image).astype(int)
    ref = np.asarray(Image.open(os.path.join(root, case["image"]))).astype(int)
    check(np.abs(img - ref).max() <= 1, f"{case['name']}: image differs")
    ids = tok(case["prompt"])
    check(case["prompt_ids"] == ids[: ids.index(tok.eos_token_id) + 1], f"{case['name']}: prompt_ids")
    print(f"    {case['name']:40s} latents max err {err:.1e} x max |ref|, image identical")


def check_fixtures(root, fixtures):
    evil = os.path.join(root, fixtures["evil"]["path"])
    with zipfile.ZipFile(evil) as z:
        names = sorted(z.namelist())
    check("evil/data.pkl" in names and "evil/version" in names, f"evil.ckpt layout {names}")
    globs = cf.pickle_globals(evil)  # opcodes only: nothing is unpickled
    check("posix.system" in globs and fixtures["evil"]["forbidden_global"] == "posix.system", f"evil globals {globs}")
    legacy = os.path.join(root, fixtures["legacy"]["path"])
    check(not zipfile.is_zipfile(legacy), "legacy.ckpt is a zip file")
    with open(legacy, "rb") as f:
        check(f.read(2) == b"\x80\x02", "legacy.ckpt does not start with a protocol-2 pickle (the magic number)")
    print(f"  fixtures: evil.ckpt {names} names {globs}; legacy.ckpt is the non-zip format")


def quiet_diffusers():
    """from_pretrained's advice to install accelerate, and the EMA notice, once per model: not our findings."""
    from diffusers.utils import logging
    logging.set_verbosity_error()


def main(argv=None):
    repo = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(repo, "src", "test", "resources", "compiler"))
    ap.add_argument("--clip-tokenizer", default=os.path.join(repo, "..", "shared", "clip-tokenizer"))
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    diffusers_patches.zeroed_attention_scores_input()
    quiet_diffusers()
    root = args.root
    with open(os.path.join(root, "manifest.json")) as f:
        manifest = json.load(f)
    check_files_named(root, manifest)
    check_fixtures(root, manifest["fixtures"])
    for name, model in manifest["models"].items():
        print(f"  model {name}")
        forms = model["forms"]
        loaded = {k: Loaded(root, model, f) for k, f in forms.items()}
        # the fp32 weights every other form is a rounding of: the diffusers folder, or the file itself
        base = next((loaded[k] for k, f in forms.items() if f["kind"] == "diffusers" and f["weights"] == "fp32"),
                    None)
        for key, form in forms.items():
            if form["kind"] == "diffusers":
                infix = f".{form['variant']}" if form["variant"] else ""
                for part, stem in (("text_encoder", "model"), ("unet", "diffusion_pytorch_model"),
                                   ("vae", "diffusion_pytorch_model")):
                    p = os.path.join(root, form["path"], part, f"{stem}{infix}.safetensors")
                    check_safetensors_layout(p, {"F16", "I64"} if form["variant"] else {"F32", "I64"})
            else:
                check_single_file(root, model, form, base or loaded[key])
            check_components(root, model, form, loaded[key])
        tok = tokenizer_for(root, model, args.clip_tokenizer)
        for case in (c for c in manifest["cases"] if c["model"] == name):
            check_case(root, case, loaded[case["form"]], tok, manifest["single_file_scheduler"])
        if model["sd15_defaults"]:
            from compiler import sd15
            for part, full in (("unet", sd15.UNET), ("vae", sd15.VAE), ("text_encoder", sd15.TEXT_ENCODER)):
                derived = {d.split()[0] for d in manifest["shape_derived_config"][part]}
                differ = [k for k, v in full.items() if k not in derived and k != "sample_size"
                          and model["configs"][part].get(k) != v]
                check(not differ, f"model {name}: {part} config differs from SD1.5's in {differ}")
            print("    configs are SD1.5's except the shape-derived values")
    print("compiler set OK")


if __name__ == "__main__":
    sys.exit(main())
