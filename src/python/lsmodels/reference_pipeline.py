"""diffusers' SD1.5 txt2img and img2img loops over plain torch modules.

``transformers`` is not available here, so ``StableDiffusionPipeline`` itself cannot be built around
our CLIP-like text encoder. This module re-states its ``__call__`` (diffusers v0.30.3,
pipelines/stable_diffusion/pipeline_stable_diffusion.py and pipeline_stable_diffusion_img2img.py) step
by step, with the pipeline's own step numbers, and keeps every generator draw in the pipeline's order:

  txt2img: initial latents (randn), then per step whatever ``scheduler.step`` draws (ancestral noise,
           DDPM variance noise, DDIM noise when eta > 0).
  img2img: VAE posterior sample (randn, ``latent_dist.sample(generator)``), then the added noise (randn),
           then the scheduler's draws.

It uses diffusers' own pieces wherever they do not need transformers: the scheduler classes,
``randn_tensor``, ``VaeImageProcessor``, ``UNet2DConditionModel`` and ``AutoencoderKL``. Left out, as
they are off by default: IP-Adapter, timestep_cond (time_cond_proj_dim is None for SD1.5), clip_skip,
guidance_rescale, LoRA scale, callbacks, the safety checker, num_images_per_prompt > 1.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import List, Optional

import torch
from diffusers.image_processor import VaeImageProcessor
from diffusers.utils.torch_utils import randn_tensor

from .bpe_vocab import Tokenizer
from .samplers import make_scheduler


@dataclass
class Components:
    """What StableDiffusionPipeline.__init__ registers, minus the safety checker and feature extractor."""
    tokenizer: Tokenizer
    text_encoder: torch.nn.Module  # forward(input_ids) -> (last_hidden_state, pooler_output)
    unet: torch.nn.Module  # diffusers UNet2DConditionModel
    vae: torch.nn.Module  # diffusers AutoencoderKL
    scheduler_config: dict

    @property
    def vae_scale_factor(self) -> int:
        # pipeline __init__: 2 ** (len(self.vae.config.block_out_channels) - 1)
        return 2 ** (len(self.vae.config.block_out_channels) - 1)


@dataclass
class Result:
    image: object  # PIL.Image.Image (output_type="pil")
    latents: torch.Tensor  # final latents, before the VAE decode's division by scaling_factor
    timesteps: List[float]  # the t values passed to the UNet, in order
    init_noise: torch.Tensor  # first randn draw (txt2img: initial latents; img2img: posterior sample noise)
    initial_latents: torch.Tensor  # latents entering the denoising loop
    prompt_embeds: torch.Tensor  # [uncond; cond] when guidance is on, else [cond]
    init_noise_sigma: float = 1.0
    extra: dict = field(default_factory=dict)


def encode_prompt(c: Components, prompt: str, do_classifier_free_guidance: bool,
                  negative_prompt: Optional[str] = None):
    """StableDiffusionPipeline.encode_prompt for one string prompt, clip_skip None, no attention mask
    (SD1.5's text encoder config has no use_attention_mask). Returns (prompt_embeds, negative_prompt_embeds)."""
    # tokenizer(prompt, padding="max_length", max_length=77, truncation=True): BOS + 75 + EOS, EOS-padded
    text_input_ids = torch.tensor([c.tokenizer(prompt)], dtype=torch.int64)
    prompt_embeds = c.text_encoder(text_input_ids)[0]
    negative_prompt_embeds = None
    if do_classifier_free_guidance:
        uncond_tokens = "" if negative_prompt is None else negative_prompt
        uncond_ids = torch.tensor([c.tokenizer(uncond_tokens)], dtype=torch.int64)
        negative_prompt_embeds = c.text_encoder(uncond_ids)[0]
    return prompt_embeds, negative_prompt_embeds


def prepare_extra_step_kwargs(scheduler, generator, eta: float) -> dict:
    """Copied logic: eta only for schedulers whose step() takes it (DDIM), generator where accepted."""
    params = set(inspect.signature(scheduler.step).parameters.keys())
    kwargs = {}
    if "eta" in params:
        kwargs["eta"] = eta
    if "generator" in params:
        kwargs["generator"] = generator
    return kwargs


def _denoise(c: Components, scheduler, latents, timesteps, prompt_embeds, guidance_scale, extra_step_kwargs):
    """Step 7 (txt2img) / 8 (img2img) of the pipeline: the denoising loop."""
    do_cfg = guidance_scale > 1  # do_classifier_free_guidance property (time_cond_proj_dim is None)
    used = []
    for t in timesteps:
        # expand the latents if we are doing classifier free guidance
        latent_model_input = torch.cat([latents] * 2) if do_cfg else latents
        latent_model_input = scheduler.scale_model_input(latent_model_input, t)
        used.append(float(t))
        noise_pred = c.unet(latent_model_input, t, encoder_hidden_states=prompt_embeds, return_dict=False)[0]
        if do_cfg:
            noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
            noise_pred = noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
        latents = scheduler.step(noise_pred, t, latents, **extra_step_kwargs, return_dict=False)[0]
    return latents, used


def _decode(c: Components, latents):
    """vae.decode(latents / scaling_factor), then VaeImageProcessor.postprocess(output_type="pil")."""
    image = c.vae.decode(latents / c.vae.config.scaling_factor, return_dict=False)[0]
    processor = VaeImageProcessor(vae_scale_factor=c.vae_scale_factor)
    return processor.postprocess(image, output_type="pil", do_denormalize=[True] * image.shape[0])[0]


@torch.no_grad()
def txt2img(c: Components, prompt: str, *, negative_prompt: Optional[str] = None, seed: int = 0,
            steps: int = 20, guidance_scale: float = 7.5, sampler: str = "pndm", schedule: str = "normal",
            width: int = 512, height: int = 512, eta: float = 0.0) -> Result:
    """StableDiffusionPipeline.__call__ with generator=torch.Generator("cpu").manual_seed(seed)."""
    generator = torch.Generator("cpu").manual_seed(seed)
    scheduler = make_scheduler(sampler, schedule, c.scheduler_config)
    do_cfg = guidance_scale > 1

    # 3. Encode input prompt; uncond and cond go in one batch
    prompt_embeds, negative_prompt_embeds = encode_prompt(c, prompt, do_cfg, negative_prompt)
    if do_cfg:
        prompt_embeds = torch.cat([negative_prompt_embeds, prompt_embeds])

    # 4. Prepare timesteps (retrieve_timesteps -> scheduler.set_timesteps(num_inference_steps))
    scheduler.set_timesteps(steps, device="cpu")
    timesteps = scheduler.timesteps

    # 5. Prepare latent variables (prepare_latents)
    shape = (1, c.unet.config.in_channels, int(height) // c.vae_scale_factor, int(width) // c.vae_scale_factor)
    noise = randn_tensor(shape, generator=generator, device=torch.device("cpu"), dtype=prompt_embeds.dtype)
    latents = noise * scheduler.init_noise_sigma
    initial_latents = latents.clone()

    # 6. Prepare extra step kwargs
    extra_step_kwargs = prepare_extra_step_kwargs(scheduler, generator, eta)

    # 7. Denoising loop
    latents, used = _denoise(c, scheduler, latents, timesteps, prompt_embeds, guidance_scale, extra_step_kwargs)

    image = _decode(c, latents)
    return Result(image=image, latents=latents, timesteps=used, init_noise=noise, initial_latents=initial_latents,
                  prompt_embeds=prompt_embeds, init_noise_sigma=float(scheduler.init_noise_sigma))


@torch.no_grad()
def img2img(c: Components, prompt: str, image, *, strength: float = 0.8, negative_prompt: Optional[str] = None,
            seed: int = 0, steps: int = 50, guidance_scale: float = 7.5, sampler: str = "pndm",
            schedule: str = "normal", eta: float = 0.0) -> Result:
    """StableDiffusionImg2ImgPipeline.__call__ (PIL ``image``) with a seeded CPU generator."""
    generator = torch.Generator("cpu").manual_seed(seed)
    scheduler = make_scheduler(sampler, schedule, c.scheduler_config)
    do_cfg = guidance_scale > 1

    # 3. Encode input prompt
    prompt_embeds, negative_prompt_embeds = encode_prompt(c, prompt, do_cfg, negative_prompt)
    if do_cfg:
        prompt_embeds = torch.cat([negative_prompt_embeds, prompt_embeds])

    # 4. Preprocess image: resize to a multiple of vae_scale_factor if needed, [0,255] -> [-1,1]
    processor = VaeImageProcessor(vae_scale_factor=c.vae_scale_factor)
    image_t = processor.preprocess(image)

    # 5. set timesteps, then get_timesteps(num_inference_steps, strength)
    scheduler.set_timesteps(steps, device="cpu")
    init_timestep = min(int(steps * strength), steps)
    t_start = max(steps - init_timestep, 0)
    timesteps = scheduler.timesteps[t_start * scheduler.order:]
    if hasattr(scheduler, "set_begin_index"):
        scheduler.set_begin_index(t_start * scheduler.order)
    latent_timestep = timesteps[:1].repeat(1)

    # 6. Prepare latent variables (prepare_latents): posterior sample, scale, then add noise
    image_t = image_t.to(dtype=prompt_embeds.dtype)
    posterior = c.vae.encode(image_t).latent_dist
    # retrieve_latents -> latent_dist.sample(generator): randn(mean.shape), mean + std * noise. The noise
    # is replayed from a copy of the generator state only to record it; the sample itself is diffusers'.
    replay = torch.Generator("cpu")
    replay.set_state(generator.get_state())
    posterior_noise = randn_tensor(posterior.mean.shape, generator=replay, device=torch.device("cpu"),
                                   dtype=posterior.parameters.dtype)
    init_latents = posterior.sample(generator)
    init_latents = c.vae.config.scaling_factor * init_latents
    noise = randn_tensor(init_latents.shape, generator=generator, device=torch.device("cpu"),
                         dtype=prompt_embeds.dtype)
    latents = scheduler.add_noise(init_latents, noise, latent_timestep)
    initial_latents = latents.clone()

    # 7. Prepare extra step kwargs
    extra_step_kwargs = prepare_extra_step_kwargs(scheduler, generator, eta)

    # 8. Denoising loop
    latents, used = _denoise(c, scheduler, latents, timesteps, prompt_embeds, guidance_scale, extra_step_kwargs)

    out = _decode(c, latents)
    return Result(image=out, latents=latents, timesteps=used, init_noise=posterior_noise,
                  initial_latents=initial_latents, prompt_embeds=prompt_embeds,
                  init_noise_sigma=float(scheduler.init_noise_sigma),
                  extra={"init_latents": init_latents, "added_noise": noise, "latent_parameters": posterior.parameters})
