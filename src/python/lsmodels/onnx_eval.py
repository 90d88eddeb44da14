"""A small numpy evaluator for the ONNX ops our exports use, to check graphs against torch here.

onnxruntime (and onnx.reference, new in onnx 1.13) are not available to the Python tooling, so this
runs an exported graph in numpy, in the graph's own dtypes, well enough to compare it with the torch
module it came from: at other batch sizes, image sizes and text lengths than the trace used, which is
what proves the dynamic axes. It supports only the ops and attributes that torch 1.13 emits for our
models and raises on anything else. Slow, and for checks only.
"""
from __future__ import annotations

from typing import Dict

import numpy as np
import onnx
from onnx import numpy_helper

_NP = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64}


def _attrs(node) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, a):
    if a.get("group", 1) != 1 or any(d != 1 for d in a.get("dilations", [1, 1])):
        raise NotImplementedError("Conv: only group=1, dilation=1")
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    sh, sw = a.get("strides", [1, 1])
    kh, kw = w.shape[2:]
    x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    n, c, h, wd = x.shape
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    out = np.einsum("nckluv,ockl->nouv", cols, w, optimize=True)
    return out + b.reshape(1, -1, 1, 1) if b is not None else out


def _slice(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    idx = [slice(None)] * x.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        dim = x.shape[ax]
        e = min(int(e), dim) if e >= 0 else int(e)  # INT64_MAX-style ends
        idx[ax] = slice(int(s), e, int(st))
    return x[tuple(idx)]


def _resize(x, roi, scales, a):
    if a.get("mode") != b"nearest" or a.get("coordinate_transformation_mode") != b"asymmetric":
        raise NotImplementedError("Resize: only nearest/asymmetric")
    for ax, s in enumerate(scales):
        if s != 1:
            n_out = int(np.floor(x.shape[ax] * s))
            src = np.floor(np.arange(n_out) / s).astype(np.int64)
            x = np.take(x, np.minimum(src, x.shape[ax] - 1), axis=ax)
    return x


def _norm(x, axes, eps):
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def _erf(x):
    from math import erf
    return np.vectorize(erf, otypes=[np.float64])(x).astype(x.dtype)


def _run_node(op, a, i):
    if op == "Add": return i[0] + i[1]
    if op == "Sub": return i[0] - i[1]
    if op == "Mul": return i[0] * i[1]
    if op == "Div": return i[0] // i[1] if np.issubdtype(i[0].dtype, np.integer) else i[0] / i[1]
    if op == "Pow": return np.power(i[0], i[1])
    if op == "Sqrt": return np.sqrt(i[0])
    if op == "Sin": return np.sin(i[0])
    if op == "Cos": return np.cos(i[0])
    if op == "Exp": return np.exp(i[0])
    if op == "Erf": return _erf(i[0])
    if op == "Sigmoid": return (1 / (1 + np.exp(-i[0]))).astype(i[0].dtype)
    if op == "Identity": return i[0]
    if op == "Equal": return np.equal(i[0], i[1])
    if op == "Where": return np.where(i[0], i[1], i[2])
    if op == "Cast": return i[0].astype(_NP[a["to"]])
    if op == "MatMul": return np.matmul(i[0], i[1])
    if op == "Gemm":
        A = i[0].T if a.get("transA") else i[0]
        B = i[1].T if a.get("transB") else i[1]
        out = a.get("alpha", 1.0) * (A @ B)
        return (out + a.get("beta", 1.0) * i[2]).astype(i[0].dtype) if len(i) > 2 else out.astype(i[0].dtype)
    if op == "Softmax":
        e = np.exp(i[0] - i[0].max(axis=a.get("axis", -1), keepdims=True))
        return e / e.sum(axis=a.get("axis", -1), keepdims=True)
    if op == "Conv": return _conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
    if op == "InstanceNormalization":
        shape = (1, -1) + (1,) * (i[0].ndim - 2)
        y = _norm(i[0], tuple(range(2, i[0].ndim)), a.get("epsilon", 1e-5))
        return y * i[1].reshape(shape) + i[2].reshape(shape)
    if op == "LayerNormalization":
        ax = a.get("axis", -1) % i[0].ndim
        y = _norm(i[0], tuple(range(ax, i[0].ndim)), a.get("epsilon", 1e-5)) * i[1]
        return y + i[2] if len(i) > 2 else y
    if op == "Reshape":
        shape = [int(s) for s in i[1]]
        shape = [i[0].shape[k] if s == 0 else s for k, s in enumerate(shape)]
        return i[0].reshape(shape)
    if op == "Transpose": return np.transpose(i[0], a.get("perm"))
    if op == "Flatten":
        ax = a.get("axis", 1)
        return i[0].reshape(int(np.prod(i[0].shape[:ax])), -1)
    if op == "Unsqueeze":
        out = i[0]
        for ax in sorted(int(v) % (i[0].ndim + len(i[1])) for v in i[1]):
            out = np.expand_dims(out, ax)
        return out
    if op == "Concat": return np.concatenate(i, axis=a["axis"])
    if op == "Shape": return np.array(i[0].shape, dtype=np.int64)
    if op == "Gather": return np.take(i[0], i[1], axis=a.get("axis", 0))
    if op == "Slice": return _slice(i[0], *i[1:])
    if op == "Expand": return i[0] * np.ones([int(s) for s in i[1]], dtype=i[0].dtype)
    if op == "ConstantOfShape":
        v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
        return np.full([int(s) for s in i[0]], v.reshape(-1)[0], dtype=v.dtype)
    if op == "Range": return np.arange(i[0], i[1], i[2]).astype(i[0].dtype)
    if op == "ArgMax":
        out = np.argmax(i[0], axis=a.get("axis", 0))
        return np.expand_dims(out, a.get("axis", 0)) if a.get("keepdims", 1) else out
    if op == "Pad":
        if a.get("mode", b"constant") != b"constant":
            raise NotImplementedError("Pad: only constant")
        p = [int(v) for v in i[1]]
        k = len(p) // 2
        value = i[2].reshape(-1)[0] if len(i) > 2 and i[2] is not None and i[2].size else 0
        return np.pad(i[0], list(zip(p[:k], p[k:])), constant_values=value)
    if op == "Resize": return _resize(i[0], i[1], i[2], a)
    if op == "ReduceMean":  # opset < 18: axes is an attribute (LayerNorm spelt out, as opset-14 exports have it)
        axes = tuple(a["axes"]) if "axes" in a else None
        return i[0].mean(axis=axes, keepdims=bool(a.get("keepdims", 1))).astype(i[0].dtype)
    raise NotImplementedError(f"op {op}")


def run(model, feeds: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """Evaluate ``model`` (a ModelProto or path, external data loaded) on ``feeds``; returns its outputs."""
    if isinstance(model, str):
        model = onnx.load(model, load_external_data=True)
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    for v in g.input:
        want = _NP[v.type.tensor_type.elem_type]
        if feeds[v.name].dtype != want:
            raise TypeError(f"input {v.name}: {feeds[v.name].dtype}, graph wants {np.dtype(want)}")
        env[v.name] = feeds[v.name]
    for node in g.node:
        a = _attrs(node)
        if node.op_type == "Constant":
            out = [numpy_helper.to_array(a["value"])]
        else:
            ins = [env[x] if x else None for x in node.input]
            out = [_run_node(node.op_type, a, ins)]
        for name, value in zip(node.output, out):
            env[name] = np.asarray(value)
    return {v.name: env[v.name] for v in g.output}
