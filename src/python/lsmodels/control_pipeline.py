"""diffusers' ControlNet and IP-Adapter text-to-image loops over plain torch modules (diffusers v0.30.3).

``StableDiffusionControlNetPipeline.__call__`` and the IP-Adapter path of ``StableDiffusionPipeline.__call__``
need transformers to be built, so, as ``reference_pipeline`` does for the plain pipeline, this re-states their
steps with diffusers' own pieces: ``ControlNetModel``, ``MultiControlNetModel``'s sum of residuals,
``VaeImageProcessor`` for the control image (do_normalize=False), the step-index gating ``controlnet_keep``,
``UNet2DConditionModel._load_ip_adapter_weights`` (what ``load_ip_adapter`` calls), the IP-Adapter processors'
``scale`` (what ``set_ip_adapter_scale`` sets) and ``prepare_ip_adapter_image_embeds``'s zeros for the
negative side.
"""
from __future__ import annotations

from typing import List, Optional

import torch
from diffusers.image_processor import VaeImageProcessor
from diffusers.utils.torch_utils import randn_tensor

from .reference_pipeline import Components, Result, _decode, encode_prompt, prepare_extra_step_kwargs
from .samplers import make_scheduler


def _prepare_control_image(c: Components, image, width, height, do_cfg):
    """StableDiffusionControlNetPipeline.prepare_image, batch 1, guess_mode False."""
    processor = VaeImageProcessor(vae_scale_factor=c.vae_scale_factor, do_convert_rgb=True, do_normalize=False)
    image = processor.preprocess(image, height=height, width=width).to(dtype=torch.float32)
    return torch.cat([image] * 2) if do_cfg else image


@torch.no_grad()
def txt2img(c: Components, prompt: str, *, controlnets=(), control_images=(), scales=(), control_start=(),
            control_end=(), ip_adapter: Optional[dict] = None, image_embeds: Optional[torch.Tensor] = None,
            ip_scale: float = 1.0, negative_prompt: Optional[str] = None, seed: int = 0, steps: int = 20,
            guidance_scale: float = 7.5, sampler: str = "euler", schedule: str = "normal", width: int = 64,
            height: int = 64) -> Result:
    generator = torch.Generator("cpu").manual_seed(seed)
    scheduler = make_scheduler(sampler, schedule, c.scheduler_config)
    do_cfg = guidance_scale > 1
    prompt_embeds, negative_prompt_embeds = encode_prompt(c, prompt, do_cfg, negative_prompt)
    if do_cfg:
        prompt_embeds = torch.cat([negative_prompt_embeds, prompt_embeds])

    added_cond_kwargs = None
    if ip_adapter is not None:
        c.unet._load_ip_adapter_weights([ip_adapter])
        for proc in c.unet.attn_processors.values():
            if hasattr(proc, "to_k_ip"):
                proc.scale = [ip_scale]
        # prepare_ip_adapter_image_embeds: [negative (zeros); positive], one image per adapter
        embeds = image_embeds[None, :]
        if do_cfg:
            embeds = torch.cat([torch.zeros_like(embeds), embeds])
        added_cond_kwargs = {"image_embeds": [embeds]}

    images = [_prepare_control_image(c, im, width, height, do_cfg) for im in control_images]
    scheduler.set_timesteps(steps, device="cpu")
    timesteps = scheduler.timesteps
    shape = (1, c.unet.config.in_channels, height // c.vae_scale_factor, width // c.vae_scale_factor)
    noise = randn_tensor(shape, generator=generator, device=torch.device("cpu"), dtype=prompt_embeds.dtype)
    latents = noise * scheduler.init_noise_sigma
    extra = prepare_extra_step_kwargs(scheduler, generator, 0.0)
    # controlnet_keep: a net runs unless i/N < start or (i+1)/N > end
    keep = [[1.0 - float(i / len(timesteps) < s or (i + 1) / len(timesteps) > e)
             for s, e in zip(control_start, control_end)] for i in range(len(timesteps))]
    used = []
    for i, t in enumerate(timesteps):
        latent_model_input = torch.cat([latents] * 2) if do_cfg else latents
        latent_model_input = scheduler.scale_model_input(latent_model_input, t)
        used.append(float(t))
        down = mid = None
        # MultiControlNetModel.forward: the nets' residuals, each times its scale, summed
        for k, (net, image, scale) in enumerate(zip(controlnets, images, scales)):
            d, m = net(latent_model_input, t, encoder_hidden_states=prompt_embeds, controlnet_cond=image,
                       conditioning_scale=scale * keep[i][k], guess_mode=False, return_dict=False)
            if down is None:
                down, mid = d, m
            else:
                down = [a + b for a, b in zip(down, d)]
                mid = mid + m
        noise_pred = c.unet(latent_model_input, t, encoder_hidden_states=prompt_embeds,
                            down_block_additional_residuals=down, mid_block_additional_residual=mid,
                            added_cond_kwargs=added_cond_kwargs, return_dict=False)[0]
        if do_cfg:
            uncond, text = noise_pred.chunk(2)
            noise_pred = uncond + guidance_scale * (text - uncond)
        latents = scheduler.step(noise_pred, t, latents, **extra, return_dict=False)[0]
    image = _decode(c, latents)
    return Result(image=image, latents=latents, timesteps=used, init_noise=noise, initial_latents=noise,
                  prompt_embeds=prompt_embeds, init_noise_sigma=float(scheduler.init_noise_sigma))
