"""Work-arounds for diffusers v0.30.3 on Debian's torch 1.13, applied explicitly by the scripts that need them.

``zeroed_attention_scores_input``: diffusers' ``Attention.get_attention_scores`` computes
``torch.baddbmm(torch.empty(...), q, k^T, beta=0, alpha=scale)``. For many small shapes torch 1.13's
CPU baddbmm does not ignore uninitialised memory at beta=0 (it multiplies it by 0, even when the input
is zeros: the output buffer itself is read), so a NaN left in freshly allocated memory turns the scores,
and the whole UNet output, into NaN, depending on what ran before. The patch adds an explicit zero
input with beta=1 instead: scale * (q k^T) + 0 is bit-identical to the unpatched result wherever that
was finite, so references made before it stay valid.
"""
from __future__ import annotations

import torch


def zeroed_attention_scores_input() -> None:
    from diffusers.models.attention_processor import Attention

    if getattr(Attention.get_attention_scores, "_zeroed_input", False):
        return

    def get_attention_scores(self, query, key, attention_mask=None):
        # diffusers v0.30.3's method, with torch.zeros and beta=1 in place of torch.empty and beta=0
        dtype = query.dtype
        if self.upcast_attention:
            query = query.float()
            key = key.float()
        if attention_mask is None:
            baddbmm_input = torch.zeros(query.shape[0], query.shape[1], key.shape[1], dtype=query.dtype,
                                        device=query.device)
            beta = 1  # not 0: see the module doc
        else:
            baddbmm_input = attention_mask
            beta = 1
        attention_scores = torch.baddbmm(baddbmm_input, query, key.transpose(-1, -2), beta=beta, alpha=self.scale)
        del baddbmm_input
        if self.upcast_softmax:
            attention_scores = attention_scores.float()
        attention_probs = attention_scores.softmax(dim=-1)
        del attention_scores
        return attention_probs.to(dtype)

    get_attention_scores._zeroed_input = True
    Attention.get_attention_scores = get_attention_scores
