#!/usr/bin/env python3
# Usage: python3 src/python/bench/unet_like_proxy.py OUT.onnx  (torch; see the README, Performance, threads)
# A stand-in for a full-size UNet's compute pattern (not its weights): 320/640-channel 3x3 convs and
# self-attention over a 32x32 latent, ~40 MB of fp32 weights. Only for timing thread settings.
import torch, torch.nn as nn
class Block(nn.Module):
    def __init__(s, c):
        super().__init__(); s.n=nn.GroupNorm(32,c); s.c1=nn.Conv2d(c,c,3,padding=1); s.c2=nn.Conv2d(c,c,3,padding=1)
        s.q=nn.Linear(c,c); s.k=nn.Linear(c,c); s.v=nn.Linear(c,c)
    def forward(s,x):
        h=s.c2(torch.nn.functional.silu(s.c1(torch.nn.functional.silu(s.n(x)))))+x
        b,c,hh,ww=h.shape; t=h.flatten(2).transpose(1,2)
        a=torch.softmax(s.q(t)@s.k(t).transpose(1,2)/c**0.5,-1)@s.v(t)
        return h+a.transpose(1,2).reshape(b,c,hh,ww)
class M(nn.Module):
    def __init__(s):
        super().__init__(); s.i=nn.Conv2d(4,320,3,padding=1); s.b=nn.Sequential(Block(320),Block(320),Block(320)); s.o=nn.Conv2d(320,4,3,padding=1)
    def forward(s,x): return s.o(s.b(s.i(x)))
torch.manual_seed(0)
import sys
torch.onnx.export(M().eval(), torch.randn(2,4,32,32), sys.argv[1], input_names=["sample"], output_names=["out"], opset_version=14)
