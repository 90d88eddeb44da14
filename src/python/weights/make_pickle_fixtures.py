"""Writes the PyTorch checkpoint fixtures for the Java reader (org.latentstudio.weights.TorchCheckpointFile).

    /usr/bin/python3 src/python/weights/make_pickle_fixtures.py      # from the repository root

Writes src/test/resources/weights/pickle/: small checkpoints saved by torch.save (torch 1.13), files made
from them (re-zipped, compressed, legacy format) and malicious files, plus fixtures.json with what each file
holds: every tensor's dtype, shape, values and the absolute byte range of its data (found here by reading
the zip's local headers, independently of the Java code), the top-level entries, and for the files the
reader must refuse, the text its message must contain.

The malicious files are made by *pickling*, never by unpickling: an object whose __reduce__ returns
(os.system, args) makes pickle write a reference to the global 'posix system' and the arguments; nothing
is called while pickling. The Lightning callback is an instance of a stand-in class registered under
pytorch_lightning's module name, so pickle writes that global without Lightning installed. No file here
is ever loaded with torch.load or pickle.load; pickletools.dis (which only prints opcodes) is used in
--show to look at them.
"""

import argparse
import io
import json
import os
import pickletools
import struct
import sys
import types
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

DTYPE_NAMES = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class Payload:
    """Pickles as a call of `func(*args)`; pickling only writes the reference, it never calls it."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def fake_lightning_callback():
    """An object that pickles as pytorch_lightning's ModelCheckpoint, as real SD training checkpoints hold."""
    name = "pytorch_lightning.callbacks.model_checkpoint"
    module = types.ModuleType(name)

    class ModelCheckpoint:
        pass

    ModelCheckpoint.__module__, ModelCheckpoint.__qualname__ = name, "ModelCheckpoint"
    module.ModelCheckpoint = ModelCheckpoint
    for parent in ("pytorch_lightning", "pytorch_lightning.callbacks"):
        sys.modules.setdefault(parent, types.ModuleType(parent))
    sys.modules[name] = module
    cb = ModelCheckpoint()
    cb.monitor, cb.save_top_k = "val/loss", 3
    return cb


def tiny_state_dict():
    g = torch.Generator().manual_seed(1234)
    shared = torch.arange(24, dtype=torch.float32) * 0.5 - 3.0
    sd = OrderedDict()
    sd["f32"] = torch.randn(2, 3, generator=g)
    sd["f16"] = torch.randn(4, generator=g).half()
    sd["bf16"] = torch.randn(2, 2, generator=g).bfloat16()
    sd["f64"] = torch.randn(3, generator=g).double()
    sd["position_ids"] = torch.arange(5, dtype=torch.int64).unsqueeze(0)
    sd["i32"] = torch.tensor([-7, 0, 2147483647], dtype=torch.int32)
    sd["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 5, 127], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 1, 200, 255], dtype=torch.uint8)
    sd["mask"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(3.5)
    sd["empty"] = torch.zeros(0, 3)
    # three views of one storage at different offsets: torch saves the storage once
    sd["shared.a"] = shared[0:6].view(2, 3)
    sd["shared.b"] = shared[8:20].view(3, 4)
    sd["shared.c"] = shared[21:23]
    sd["param"] = torch.nn.Parameter(torch.randn(3, generator=g))
    return sd


def module_state_dict():
    """An nn.Module's own state dict: an OrderedDict with a _metadata attribute (pickled with BUILD)."""
    torch.manual_seed(7)
    m = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.GroupNorm(1, 3), torch.nn.BatchNorm2d(3))
    return m.state_dict()


def evil_entries():
    return {
        "evil-posix-system.ckpt": (2, Payload(os.system, "echo owned > /tmp/latentstudio-owned"), "posix.system"),
        "evil-builtin-exec.ckpt": (2, Payload(exec, "import os; os.system('echo owned')"), "__builtin__.exec"),
        "evil-builtins-eval.pt": (4, Payload(eval, "__import__('os').system('echo owned')"), "builtins.eval"),
        "evil-lightning.ckpt": (2, fake_lightning_callback(), "pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint"),
        "evil-numpy.ckpt": (2, np.float64(1.5), "numpy.core.multiarray.scalar"),
    }


def rezip(src: Path, dst: Path, compression=zipfile.ZIP_STORED, extra=None, rename=None):
    """Copies a torch zip entry by entry (Python's zipfile, no 64-byte alignment), optionally changed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression=compression) as zout:
        for info in zin.infolist():
            name = rename(info.filename) if rename else info.filename
            out = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            out.compress_type = compression
            zout.writestr(out, zin.read(info.filename))
        for name, data in (extra or {}).items():
            zout.writestr(zipfile.ZipInfo(name, date_time=FIXED_DATE), data)


def rezip64(src: Path, dst: Path):
    """Copies a torch zip with every ZIP64 structure Python's zipfile can write (sizes and header offsets in
    zip64 extra fields, the zip64 end of central directory): what torch writes for files over 4 GB."""
    saved = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 1
    try:
        rezip(src, dst)
    finally:
        zipfile.ZIP64_LIMIT = saved


def data_ranges(path: Path):
    """Absolute data start and size of each zip entry, from the LOCAL headers (independent of the Java reader)."""
    out = {}
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            sig, = struct.unpack_from("<I", raw, info.header_offset)
            assert sig == 0x04034B50, info.filename
            name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
            out[info.filename] = (info.header_offset + 30 + name_len + extra_len, info.compress_size)
    return out


def describe(path: Path, state_dict, top_level=None):
    """What the Java reader must find: each tensor with its values and the bytes it lies in."""
    ranges = data_ranges(path)
    with zipfile.ZipFile(path) as z:
        folder = next(n for n in z.namelist() if n.endswith("/data.pkl")).split("/")[0]
    # torch.save numbers storages in the order it meets them, which is the state dict's order
    storage_keys, tensors = {}, []
    for name, t in state_dict.items():
        key = storage_keys.setdefault(t.storage().data_ptr(), str(len(storage_keys)))
        start, size = ranges[f"{folder}/data/{key}"]
        assert size == t.storage().size() * t.element_size(), name
        offset = start + t.storage_offset() * t.element_size()
        values = t.detach().float().flatten().tolist() if t.is_floating_point() else t.flatten().tolist()
        flat = t.detach().contiguous().view(-1)
        raw = (flat.view(torch.int16) if t.dtype == torch.bfloat16 else flat).numpy().tobytes()
        assert path.read_bytes()[offset:offset + len(raw)] == raw, name
        tensors.append({"name": name, "dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "offset": offset,
                        "length": len(raw), "values": values, "hex": raw.hex()})
    return {"folder": folder, "tensors": tensors, "metadata": top_level or {}}


def save(obj, path: Path, **kwargs):
    torch.save(obj, path, **kwargs)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("src/test/resources/weights/pickle"))
    ap.add_argument("--show", help="print the opcodes of one written file's data.pkl (pickletools.dis only)")
    args = ap.parse_args()
    out = args.out
    if args.show:
        with zipfile.ZipFile(out / args.show) as z:
            pickletools.dis(z.read(next(n for n in z.namelist() if n.endswith("/data.pkl"))))
        return
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    fixtures = {"readable": {}, "refused": {}}

    tiny = tiny_state_dict()
    p = save(tiny, out / "tiny.ckpt")
    fixtures["readable"]["tiny.ckpt"] = describe(p, tiny)

    # an LDM-style checkpoint: the state dict under "state_dict", Lightning's scalars beside it; saved
    # through a buffer, so torch names the archive folder "archive"
    sd = module_state_dict()
    top = {"global_step": 470000, "epoch": 6, "pytorch-lightning_version": "1.4.2", "lr": 1e-4, "ema": True}
    buf = io.BytesIO()
    torch.save({"state_dict": sd, **top}, buf)
    p = out / "ldm.ckpt"
    p.write_bytes(buf.getvalue())
    fixtures["readable"]["ldm.ckpt"] = describe(p, sd, {k: str(v) for k, v in top.items()})

    p = save(module_state_dict(), out / "diffusion_pytorch_model.bin")
    fixtures["readable"]["diffusion_pytorch_model.bin"] = describe(p, module_state_dict())

    # protocol 4: FRAME, MEMOIZE, SHORT_BINUNICODE and STACK_GLOBAL instead of GLOBAL
    p = save(tiny, out / "protocol4.pt", pickle_protocol=4)
    fixtures["readable"]["protocol4.pt"] = describe(p, tiny)

    p = out / "zip64.ckpt"
    rezip64(out / "tiny.ckpt", p)
    fixtures["readable"]["zip64.ckpt"] = describe(p, tiny)

    # refused: each with the words its message must contain
    refused = fixtures["refused"]
    small = OrderedDict(w=torch.ones(2, 2))
    # the only file that changes from run to run: the legacy format names storages by memory address
    save(small, out / "legacy.ckpt", _use_new_zipfile_serialization=False)
    refused["legacy.ckpt"] = "older PyTorch format"
    base = torch.arange(6, dtype=torch.float32).view(2, 3)
    save({"ok": torch.ones(2), "transposed": base.t()}, out / "noncontiguous.ckpt")
    refused["noncontiguous.ckpt"] = "'transposed'"
    rezip(out / "tiny.ckpt", out / "deflated.ckpt", compression=zipfile.ZIP_DEFLATED)
    refused["deflated.ckpt"] = "compressed"
    rezip(out / "tiny.ckpt", out / "bigendian.ckpt", extra={"tiny/byteorder": b"big"})
    refused["bigendian.ckpt"] = "big-endian"
    (out / "truncated.ckpt").write_bytes((out / "tiny.ckpt").read_bytes()[:1500])
    refused["truncated.ckpt"] = "truncated"
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), str(out / "torchscript.pt"))
    refused["torchscript.pt"] = "TorchScript"
    for name, (protocol, payload, global_name) in evil_entries().items():
        save({"state_dict": small, "global_step": 1, "extra": payload}, out / name, pickle_protocol=protocol)
        refused[name] = global_name

    (out / "fixtures.json").write_text(json.dumps(fixtures, indent=1) + "\n")
    for f in sorted(out.iterdir()):
        print(f"{f.stat().st_size:8d}  {f.name}")


if __name__ == "__main__":
    main()
