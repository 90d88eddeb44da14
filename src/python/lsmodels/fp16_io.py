"""Give an exported fp32 ONNX graph float16 (or other) inputs and outputs, keeping fp32 compute inside.

Real fp16 checkpoints present float16 at the session boundary; these variants let the Java side test
that it reads dtypes from the session metadata and converts there. Only the boundary changes: a Cast
follows each converted input and precedes each converted output, so the numbers inside are the fp32
model's, rounded once on the way in and once on the way out.

The UNet's ``timestep`` is handled on its own (``timestep_dtype``): for a graph exported with a float32
timestep, a float16 timestep is cast up exactly; for a graph exported with int64, a float timestep is
cast to int64 (truncation, as an int64 model would see it anyway). Export with a float32 timestep
(``export.export_unet(..., timestep_dtype=torch.float32)``) where fractional timesteps must survive.
"""
from __future__ import annotations

from typing import Optional

import onnx
from onnx import TensorProto, helper

_DTYPES = {"float16": TensorProto.FLOAT16, "float32": TensorProto.FLOAT, "int64": TensorProto.INT64}


def _elem_type(value_info) -> int:
    return value_info.type.tensor_type.elem_type


def _retype_input(graph, index: int, new_type: int) -> None:
    """Graph input ``index`` gets ``new_type``; a Cast back to the old type feeds its old consumers."""
    value = graph.input[index]
    old_type, name = _elem_type(value), value.name
    inner = name + "__inner"
    for node in graph.node:
        for i, x in enumerate(node.input):
            if x == name:
                node.input[i] = inner
    graph.node.insert(0, helper.make_node("Cast", [name], [inner], to=old_type, name=name + "__cast_in"))
    value.type.tensor_type.elem_type = new_type


def _retype_output(graph, index: int, new_type: int) -> None:
    """Graph output ``index`` gets ``new_type`` via a Cast after the node that produced it."""
    value = graph.output[index]
    name = value.name
    inner = name + "__inner"
    for node in graph.node:
        for i, x in enumerate(node.output):
            if x == name:
                node.output[i] = inner
        for i, x in enumerate(node.input):  # a graph output may also feed other nodes
            if x == name:
                node.input[i] = inner
    graph.node.append(helper.make_node("Cast", [inner], [name], to=new_type, name=name + "__cast_out"))
    value.type.tensor_type.elem_type = new_type


def convert_io(model: onnx.ModelProto, float_dtype: str = "float16",
               timestep_dtype: Optional[str] = None) -> onnx.ModelProto:
    """A copy of ``model`` whose float32 inputs/outputs are ``float_dtype`` and, if given, whose
    ``timestep`` input is ``timestep_dtype`` ("float32", "float16" or "int64")."""
    out = onnx.ModelProto()
    out.CopyFrom(model)
    g = out.graph
    target = _DTYPES[float_dtype]
    for i, v in enumerate(list(g.input)):
        if v.name == "timestep":
            if timestep_dtype is not None and _DTYPES[timestep_dtype] != _elem_type(v):
                _retype_input(g, i, _DTYPES[timestep_dtype])
        elif _elem_type(v) == TensorProto.FLOAT and target != TensorProto.FLOAT:
            _retype_input(g, i, target)
    for i, v in enumerate(list(g.output)):
        if _elem_type(v) == TensorProto.FLOAT and target != TensorProto.FLOAT:
            _retype_output(g, i, target)
    onnx.checker.check_model(out)
    return out


def convert_file(src: str, dst: str, float_dtype: str = "float16", timestep_dtype: Optional[str] = None,
                 external_data: bool = False) -> None:
    """File form of ``convert_io``: reads ``src`` (with its external data), writes and checks ``dst``."""
    from .export import save_onnx

    model = onnx.load(src, load_external_data=True)
    save_onnx(convert_io(model, float_dtype, timestep_dtype), dst, external_data)
