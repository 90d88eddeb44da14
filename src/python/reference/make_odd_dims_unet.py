"""Writes a UNet stand-in whose timestep names its axis "batch" (as diffusers' old ONNX conversion script did).

Latent Studio fixes the "batch" dimension of small models' sessions; for this graph that makes the declared
timestep [2] while the sampler feeds [1], so the runtime must fall back to the dynamic session (FixedDimsTest).
The graph returns the sample unchanged: only its declared inputs matter.

    python3 src/python/reference/make_odd_dims_unet.py src/test/resources/models/odd-dims-unet/model.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper


def main(out):
    sample = helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", 4, "height", "width"])
    timestep = helper.make_tensor_value_info("timestep", TensorProto.INT64, ["batch"])
    context = helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch", "sequence", 32])
    output = helper.make_tensor_value_info("out_sample", TensorProto.FLOAT, ["batch", 4, "height", "width"])
    node = helper.make_node("Identity", ["sample"], ["out_sample"])
    graph = helper.make_graph([node], "odd_dims_unet", [sample, timestep, context], [output])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="latentstudio")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, out)


if __name__ == "__main__":
    main(sys.argv[1])
