"""Checkpoint files as real tools write them: safetensors, torch zip-pickle ``.ckpt``, and the bad fixtures.

``write_safetensors`` lays a file out as the Rust ``safetensors`` library does (what diffusers,
transformers and every checkpoint merger produce): 8-byte little-endian header length, compact JSON
header with ``__metadata__`` first, tensors sorted by dtype (largest first in the library's enum order)
then name, data in that order without gaps, header padded with spaces to a multiple of 8.
``read_safetensors`` is a strict reader for the checks: it rejects anything the Java reader must reject.
"""
from __future__ import annotations

import collections
import io
import json
import os
import pickle
import pickletools
import struct
import zipfile
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

# safetensors' Dtype enum order (tensors are sorted by it, descending) and element sizes
_DTYPES = [("BOOL", torch.bool), ("U8", torch.uint8), ("I8", torch.int8), ("I16", torch.int16),
           ("F16", torch.float16), ("BF16", torch.bfloat16), ("I32", torch.int32), ("F32", torch.float32),
           ("F64", torch.float64), ("I64", torch.int64)]
_NAME = {t: n for n, t in _DTYPES}
_TORCH = {n: t for n, t in _DTYPES}
_RANK = {n: i for i, (n, _) in enumerate(_DTYPES)}


def _bytes(t: torch.Tensor) -> bytes:
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: the same 16 bits as int16
        t = t.view(torch.int16)
    return t.numpy().tobytes()  # little-endian on every machine we run on


def write_safetensors(path: str, tensors: Dict[str, torch.Tensor], metadata: Optional[Dict[str, str]] = None) -> None:
    """Write ``tensors`` in the Rust library's layout (see the module doc). ``metadata``: str -> str."""
    names = sorted(tensors, key=lambda k: (-_RANK[_NAME[tensors[k].dtype]], k))
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for k in names:
        n = tensors[k].numel() * tensors[k].element_size()
        header[k] = {"dtype": _NAME[tensors[k].dtype], "shape": list(tensors[k].shape),
                     "data_offsets": [offset, offset + n]}
        offset += n
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:  # one tensor's bytes at a time: multi-GB files need no second copy
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for k in names:
            f.write(_bytes(tensors[k]))
    os.replace(tmp, path)


def read_safetensors(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """(tensors, metadata). Raises ValueError on: header past the end, bad JSON, unknown dtype, byte count
    that does not match dtype x shape, offsets out of range, overlapping or leaving gaps."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: shorter than the 8-byte header length")
    n = struct.unpack("<Q", data[:8])[0]
    if 8 + n > len(data):
        raise ValueError(f"{path}: header length {n} runs past the end ({len(data)} bytes)")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base, end = 8 + n, len(data) - 8 - n
    spans, out = [], {}
    for k, v in header.items():
        if v["dtype"] not in _TORCH:
            raise ValueError(f"{path}: {k}: unknown dtype {v['dtype']}")
        dtype, shape, (a, b) = _TORCH[v["dtype"]], v["shape"], v["data_offsets"]
        size = int(np.prod(shape, dtype=np.int64)) * torch.empty((), dtype=dtype).element_size()
        if not 0 <= a <= b <= end or b - a != size:
            raise ValueError(f"{path}: {k}: offsets [{a}, {b}) vs {size} bytes for {v['dtype']}{shape} "
                             f"in a {end}-byte data section")
        spans.append((a, b, k))
        raw = bytearray(data[base + a:base + b])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if raw else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[k] = t.reshape(shape)
    pos = 0
    for a, b, k in sorted(spans):
        if a != pos:
            raise ValueError(f"{path}: {k} starts at {a}, expected {pos} (gap or overlap)")
        pos = b
    if pos != end:
        raise ValueError(f"{path}: data section is {end} bytes, tensors cover {pos}")
    return out, metadata


def cast_floats(tensors: Dict[str, torch.Tensor], dtype: torch.dtype) -> Dict[str, torch.Tensor]:
    """Floating tensors to ``dtype``; integer ones (position_ids, num_updates) kept, as real fp16 files do."""
    return {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in tensors.items()}


# ---------------------------------------------------------------------------------------------------
# torch pickle files


def write_ckpt(path: str, state_dict: Dict[str, torch.Tensor], global_step: int = 123) -> None:
    """``torch.save({"state_dict": OrderedDict, "global_step": n})`` in torch's zip format (the default since
    1.6): ``<stem>/data.pkl`` (pickle protocol 2; globals collections.OrderedDict,
    torch._utils._rebuild_tensor_v2 and torch.*Storage), ``<stem>/data/<n>`` raw storages, ``<stem>/version``."""
    torch.save({"state_dict": collections.OrderedDict(state_dict), "global_step": global_step}, path)


def write_legacy_ckpt(path: str, state_dict: Dict[str, torch.Tensor]) -> None:
    """The pre-1.6 non-zip format, which loaders refuse: five pickles (magic number, protocol version,
    sys_info, the object, the sorted storage keys), then per key in that order int64 numel + raw bytes.

    torch names storages there by memory address (``str(storage._cdata)``), which changes every run.
    To make the file reproducible the keys are renamed "0", "1", ... in the order the tensors appear and
    the storages are laid out in that order, as torch would have with such keys. The result is checked
    with ``torch.load(weights_only=True)``. Every tensor must have a storage of its own."""
    buf = io.BytesIO()
    torch.save({"state_dict": collections.OrderedDict(state_dict)}, buf, _use_new_zipfile_serialization=False)
    data = buf.getvalue()
    f = io.BytesIO(data)
    spans = []  # (start, end) of the five pickles
    for _ in range(5):
        start = f.tell()
        for _ in pickletools.genops(f):
            pass
        spans.append((start, f.tell()))
    obj, keys = (data[a:b] for a, b in spans[3:])
    old_keys = [arg for op, arg, _ in pickletools.genops(io.BytesIO(keys)) if op.name == "BINUNICODE"]
    appearance = []  # old keys in the order the object pickle names them: state_dict order
    for op, arg, _ in pickletools.genops(io.BytesIO(obj)):
        if op.name == "BINUNICODE" and arg in old_keys and arg not in appearance:
            appearance.append(arg)
    tensors = list(state_dict.values())
    if len(appearance) != len(tensors):
        raise ValueError("every tensor needs its own storage")
    width = len(str(len(tensors) - 1))
    rename = {k: str(i).zfill(width) for i, k in enumerate(appearance)}
    nbytes = {k: 8 + t.numel() * t.element_size() for k, t in zip(appearance, tensors)}
    blocks, pos = {}, spans[4][1]
    for k in sorted(old_keys):  # torch's order
        blocks[k] = data[pos:pos + nbytes[k]]
        pos += nbytes[k]
    if pos != len(data):
        raise ValueError("unexpected legacy layout")

    def rewrite(pickle_bytes: bytes) -> bytes:
        out, at_ = bytearray(), 0
        for op, arg, at in pickletools.genops(io.BytesIO(pickle_bytes)):
            if op.name == "BINUNICODE" and arg in rename:
                new = rename[arg].encode("utf-8")
                out += pickle_bytes[at_:at] + b"X" + struct.pack("<I", len(new)) + new
                at_ = at + 5 + len(arg.encode("utf-8"))
        return bytes(out + pickle_bytes[at_:])

    ordered = sorted(appearance, key=lambda k: rename[k])  # torch writes the keys sorted, storages likewise
    key_list = pickle.dumps([rename[k] for k in ordered], protocol=2)  # as torch's pickle.dump of the list
    with open(path, "wb") as out:
        out.write(data[:spans[3][0]] + rewrite(obj) + key_list + b"".join(blocks[k] for k in ordered))
    loaded = torch.load(path, weights_only=True)["state_dict"]
    if list(loaded) != list(state_dict) or not all(torch.equal(loaded[k], v) for k, v in state_dict.items()):
        raise AssertionError(f"{path}: does not load back to the same tensors")


EVIL_COMMAND = "echo 'evil.ckpt: this pickle just ran a shell command; a loader must refuse it' >&2"


class _RunsCommand:
    """Pickles as ``posix.system(EVIL_COMMAND)``: unpickling calls os.system. Pickling only records the call."""

    def __reduce__(self):
        return os.system, (EVIL_COMMAND,)


def write_evil_ckpt(path: str, state_dict: Dict[str, torch.Tensor]) -> None:
    """A zip-pickle checkpoint laid out exactly like ``write_ckpt``'s, whose pickle also holds a reference to
    ``posix.system``. Made by *pickling* an object whose __reduce__ names os.system: nothing is unpickled
    and no command runs here (see ``pickle_globals``, which reads the opcodes without executing them)."""
    torch.save({"state_dict": collections.OrderedDict(state_dict), "global_step": 123,
                "callbacks": _RunsCommand()}, path)


def pickle_globals(path: str) -> List[str]:
    """Every GLOBAL / STACK_GLOBAL a zip checkpoint's data.pkl names, read with pickletools (no execution)."""
    with zipfile.ZipFile(path) as z:
        pkl = [n for n in z.namelist() if n.endswith("/data.pkl")]
        if len(pkl) != 1:
            raise ValueError(f"{path}: expected one */data.pkl, found {pkl}")
        data = z.read(pkl[0])
    names, strings = [], []
    for op, arg, _ in pickletools.genops(io.BytesIO(data)):
        if op.name == "GLOBAL":
            names.append(arg.replace(" ", "."))
        elif op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
        elif op.name == "STACK_GLOBAL":
            names.append(f"{strings[-2]}.{strings[-1]}")
    return sorted(set(names))
