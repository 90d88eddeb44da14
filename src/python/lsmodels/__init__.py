"""Shared Python tooling for Latent Studio model folders.

Modules (import them directly; this package imports nothing eagerly so each stays cheap):
- ``bpe_vocab``: CLIP-format BPE vocabulary building and a pure-Python CLIP tokenizer.
- ``text_encoder``: a small CLIP-like causal text encoder in torch, and its config.json.
- ``export``: ONNX export of a full model folder in the optimum layout of src/site/model-format.md.
- ``fp16_io``: float16 graph inputs/outputs around an fp32 ONNX model.
- ``samplers``: Latent Studio sampler/schedule names -> configured diffusers schedulers.
- ``reference_pipeline``: diffusers' SD1.5 txt2img / img2img loops over torch modules.
- ``onnx_eval``: a small numpy evaluator for our exported graphs (onnxruntime is not available here).

``samplers`` and ``reference_pipeline`` need the diffusers sources on PYTHONPATH (see ../README.md).
"""
