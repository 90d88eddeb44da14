"""Golden data for the Java samplers (org.latentstudio.diffusion): diffusers v0.30.3's own schedulers, run
through the Stable Diffusion pipelines' denoising loop with a deterministic synthetic model.

Writes src/test/resources/diffusion/schedulers.json. Each case records the scheduler's timesteps, sigmas (where it
has them), init_noise_sigma, every generator draw's shape in order, and the final latents (base64 of float32,
little endian); some cases also record the predicted x0 after each step.

The loop is the pipelines' (see lsmodels/reference_pipeline.py, which this reuses for the scheduler mapping and the
step kwargs):
    txt2img: latents = randn(shape, generator) * init_noise_sigma
    img2img: init = randn(shape) (a stand-in for the VAE latents), noise = randn(shape);
             t_start = max(steps - min(int(steps * strength), steps), 0); timesteps[t_start * order:];
             set_begin_index(t_start * order) where the scheduler has it; latents = add_noise(init, noise, t0)
    then for t in timesteps: x = scale_model_input(latents, t); eps = model(x, t); latents = step(eps, t, latents,
             **extra_step_kwargs).prev_sample, with the generator (and eta for DDIM) passed as the pipelines do.

The model is eps(x, t) = x / (1 + 0.25 x^2) + c(t), c(t) = float32(0.001 * t - 0.3) with t taken as float32: only
+ - * / in float32, so the Java test can compute it bit for bit, and it depends on both the sample and the timestep.

Two schedule extensions that diffusers 0.30.3 lacks are reproduced here from diffusers' own code paths:
    exponential: the karras code path with _convert_to_karras replaced by later diffusers'
                 _convert_to_exponential, exp(linspace(log sigma_max, log sigma_min, n));
    euler_ancestral with karras or exponential: the sigmas and timesteps EulerDiscreteScheduler computes for the same
                 config, set on an EulerAncestralDiscreteScheduler.

Run from the repository root:
    PYTHONPATH=src/python:/work/shared/tools/py-shims:/work/pydeps /usr/bin/python3 \
        src/python/reference/scheduler_reference.py
"""
from __future__ import annotations

import base64
import json
import math
import os
import types

import numpy as np
import torch

import diffusers
from lsmodels.reference_pipeline import prepare_extra_step_kwargs
from lsmodels.samplers import make_scheduler

OUT = os.path.join("src", "test", "resources", "diffusion", "schedulers.json")

# SD1.5's scheduler_config.json (src/site/model-format.md)
SD15 = {
    "_class_name": "PNDMScheduler", "_diffusers_version": "0.30.3", "beta_end": 0.012,
    "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": False,
    "num_train_timesteps": 1000, "prediction_type": "epsilon", "set_alpha_to_one": False,
    "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": None,
}
SAMPLERS = ["euler", "euler_ancestral", "heun", "dpmpp_2m", "lms", "ddim", "ddpm", "pndm"]


def model(x: torch.Tensor, t) -> torch.Tensor:
    tf = float(np.float32(float(t)))
    c = torch.tensor(np.float32(0.001 * tf - 0.3))
    return x / (1 + 0.25 * x * x) + c


def _exponential(self, in_sigmas, num_inference_steps=None):
    n = num_inference_steps if num_inference_steps is not None else self.num_inference_steps
    sigma_min = getattr(self.config, "sigma_min", None)
    sigma_max = getattr(self.config, "sigma_max", None)
    sigma_min = sigma_min if sigma_min is not None else in_sigmas[-1].item()
    sigma_max = sigma_max if sigma_max is not None else in_sigmas[0].item()
    return np.exp(np.linspace(math.log(sigma_max), math.log(sigma_min), n))


def build(sampler: str, schedule: str, config: dict):
    """The configured scheduler and a set_timesteps(n) for it (which applies the extensions)."""
    if sampler == "euler_ancestral" and schedule in ("karras", "exponential"):
        sched = make_scheduler(sampler, "normal", config)
        donor, donor_set = build("euler", schedule, config)

        def set_timesteps(n):
            sched.set_timesteps(n)
            donor_set(n)
            sched.sigmas = donor.sigmas.clone()
            sched.timesteps = donor.timesteps.clone()
        return sched, set_timesteps
    if schedule == "exponential":
        sched = make_scheduler(sampler, "karras", config)
        sched._convert_to_karras = types.MethodType(_exponential, sched)
        return sched, sched.set_timesteps
    sched = make_scheduler(sampler, schedule, config)
    return sched, sched.set_timesteps


class F32(list):
    """float32 values, written with the shortest text that reads back as the same float32."""


def f32(values) -> F32:
    return F32(np.asarray(values, dtype=np.float64).astype(np.float32).reshape(-1).tolist())


def _json(obj) -> str:
    if isinstance(obj, F32):
        return "[" + ",".join(np.format_float_positional(np.float32(v), unique=True, trim="-") for v in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(k) + ":" + _json(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(_json(v) for v in obj) + "]"
    return json.dumps(obj)


def b64(t: torch.Tensor) -> str:
    return base64.b64encode(np.ascontiguousarray(t.detach().numpy(), dtype="<f4").tobytes()).decode("ascii")


def run(name, sampler, schedule="normal", overrides=None, steps=10, seed=42, shape=(1, 4, 5, 5), eta=0.0,
        strength=None, record_x0=False):
    config = dict(SD15)
    config.update(overrides or {})
    config = {k: v for k, v in config.items() if v is not None}
    sched, set_timesteps = build(sampler, schedule, config)
    set_timesteps(steps)
    all_timesteps = sched.timesteps.clone()
    sigmas = getattr(sched, "sigmas", None)
    g = torch.Generator("cpu").manual_seed(seed)

    draws = []
    real_randn = torch.randn

    def counting_randn(*args, **kwargs):
        size = args[0] if args else kwargs["size"]
        draws.append(list(size))
        return real_randn(*args, **kwargs)

    torch.randn = counting_randn
    try:
        begin = 0
        if strength is None:
            latents = torch.randn(shape, generator=g, dtype=torch.float32) * sched.init_noise_sigma
            timesteps = sched.timesteps
        else:
            init = torch.randn(shape, generator=g, dtype=torch.float32)
            noise = torch.randn(shape, generator=g, dtype=torch.float32)
            init_timestep = min(int(steps * strength), steps)
            t_start = max(steps - init_timestep, 0)
            begin = t_start * sched.order
            timesteps = sched.timesteps[begin:]
            if hasattr(sched, "set_begin_index"):
                sched.set_begin_index(begin)
            latents = sched.add_noise(init, noise, timesteps[:1].repeat(shape[0]))
        extra = prepare_extra_step_kwargs(sched, g, eta)
        x0s = []
        for t in timesteps:
            x = sched.scale_model_input(latents, t)
            eps = model(x, t)
            out = sched.step(eps, t, latents, **extra)
            latents = out.prev_sample
            if record_x0:
                x0 = getattr(out, "pred_original_sample", None)
                if x0 is None and hasattr(sched, "model_outputs"):
                    x0 = sched.model_outputs[-1]  # DPM-Solver: the converted (data) prediction
                x0s.append(b64(x0))
    finally:
        torch.randn = real_randn

    case = {
        "name": name, "sampler": sampler, "schedule": schedule, "overrides": overrides or {}, "steps": steps,
        "seed": str(seed),
        "shape": list(shape), "eta": eta, "strength": strength, "begin_index": begin,
        "diffusers_class": type(sched).__name__,
        "timesteps": f32(all_timesteps.numpy()),
        "sigmas": f32(sigmas.numpy()) if isinstance(sigmas, torch.Tensor) and sampler not in ("ddim", "ddpm", "pndm")
        else None,
        "init_noise_sigma": f32([float(sched.init_noise_sigma)]),
        "draws": draws,
        "final": b64(latents),
    }
    if record_x0:
        case["x0"] = x0s
    return case


def cases():
    out = []
    # every sampler on SD1.5's own config (normal = leading), with the seeded generator
    for s in SAMPLERS:
        out.append(run(f"{s}_leading", s, shape=(1, 4, 8, 8), record_x0=s in ("euler", "dpmpp_2m")))
    out.append(run("dpmpp_2m_leading_25", "dpmpp_2m", steps=25))
    out.append(run("lms_leading_25", "lms", steps=25))
    out.append(run("pndm_leading_25", "pndm", steps=25))
    # karras (diffusers' use_karras_sigmas) and exponential (extension)
    for s in ("euler", "heun", "dpmpp_2m", "lms", "euler_ancestral"):
        out.append(run(f"{s}_karras", s, "karras"))
        out.append(run(f"{s}_exponential", s, "exponential"))
    out.append(run("dpmpp_2m_karras_20", "dpmpp_2m", "karras", steps=20))
    out.append(run("euler_karras_linspace", "euler", "karras", overrides={"timestep_spacing": "linspace"}))
    # the other spacings
    for s in SAMPLERS:
        out.append(run(f"{s}_trailing", s, "trailing"))
        out.append(run(f"{s}_linspace", s, "linspace"))
    out.append(run("euler_trailing_7", "euler", "trailing", steps=7))
    out.append(run("ddim_trailing_3", "ddim", "trailing", steps=3))
    # numpy's arange gives 62 trailing timesteps for 61 steps, the last one -1 (a diffusers quirk, kept)
    for s in ("euler", "ddim", "ddpm", "pndm", "dpmpp_2m"):
        out.append(run(f"{s}_trailing_61", s, "trailing", steps=61, shape=(1, 1, 4, 4)))
    # v-prediction and sample prediction
    for s in SAMPLERS:
        out.append(run(f"{s}_vpred", s, overrides={"prediction_type": "v_prediction"}))
    for s in ("euler", "heun", "dpmpp_2m", "lms", "ddim", "ddpm"):
        out.append(run(f"{s}_sample_pred", s, overrides={"prediction_type": "sample"}))
    out.append(run("dpmpp_2m_karras_vpred", "dpmpp_2m", "karras", overrides={"prediction_type": "v_prediction"}))
    # zero terminal SNR with v-prediction and trailing spacing (arXiv:2305.08891's recipe)
    zsnr = {"prediction_type": "v_prediction", "rescale_betas_zero_snr": True}
    for s in ("ddim", "euler", "dpmpp_2m", "ddpm", "euler_ancestral"):
        out.append(run(f"{s}_zero_snr_trailing", s, "trailing", overrides=zsnr))
    # stochastic samplers: DDIM eta, batch of 2 (draws take the full batch shape)
    out.append(run("ddim_eta05", "ddim", eta=0.5, record_x0=True))
    out.append(run("ddim_eta1_trailing", "ddim", "trailing", eta=1.0))
    out.append(run("ddim_eta05_batch2", "ddim", eta=0.5, shape=(2, 4, 4, 4), seed=7))
    out.append(run("euler_ancestral_batch2", "euler_ancestral", shape=(2, 4, 4, 4), seed=7))
    out.append(run("ddpm_batch2_linspace", "ddpm", "linspace", shape=(2, 4, 4, 4), seed=2**63 - 1))
    out.append(run("euler_ancestral_small", "euler_ancestral", shape=(1, 1, 2, 3), seed=3))  # scalar randn path
    out.append(run("ddpm_fixed_small_log", "ddpm", overrides={"variance_type": "fixed_small_log"}))
    out.append(run("ddpm_fixed_large", "ddpm", overrides={"variance_type": "fixed_large"}))
    # img2img: begin index and add_noise
    out.append(run("euler_img2img", "euler", strength=0.6))
    out.append(run("euler_karras_img2img", "euler", "karras", strength=0.75))
    out.append(run("heun_img2img", "heun", strength=0.5))
    out.append(run("dpmpp_2m_img2img", "dpmpp_2m", strength=0.7))
    out.append(run("lms_img2img", "lms", strength=0.6))
    out.append(run("euler_ancestral_img2img", "euler_ancestral", strength=0.8))
    out.append(run("ddim_img2img", "ddim", strength=0.75, eta=0.5))
    out.append(run("ddpm_img2img", "ddpm", strength=0.5))
    out.append(run("pndm_img2img", "pndm", strength=0.8))
    # configs: PNDM with its Runge-Kutta warm-up, other beta schedules, an empty config (each class's defaults),
    # Euler's final_sigmas_type sigma_min, set_alpha_to_one
    out.append(run("pndm_prk", "pndm", overrides={"skip_prk_steps": False}))
    out.append(run("pndm_prk_linspace_vpred", "pndm", "linspace",
                   overrides={"skip_prk_steps": False, "prediction_type": "v_prediction"}, steps=12))
    out.append(run("ddim_squaredcos", "ddim", overrides={"beta_schedule": "squaredcos_cap_v2"}))
    out.append(run("euler_linear_betas", "euler", overrides={"beta_schedule": "linear", "beta_start": 0.0001,
                                                              "beta_end": 0.02}))
    out.append(run("ddim_set_alpha_to_one", "ddim", overrides={"set_alpha_to_one": True}))
    out.append(run("euler_final_sigma_min", "euler", overrides={"final_sigmas_type": "sigma_min"}))
    out.append(run("dpmpp_2m_heun_solver", "dpmpp_2m", overrides={"solver_type": "heun"}))
    out.append(run("dpmpp_2m_final_sigma_min", "dpmpp_2m", overrides={"final_sigmas_type": "sigma_min"}, steps=20))
    out.append(run("dpmpp_2m_euler_at_final", "dpmpp_2m", overrides={"final_sigmas_type": "sigma_min",
                                                                     "euler_at_final": True}, steps=16))
    out.append(run("dpmpp_2m_lambda_clipped", "dpmpp_2m", "linspace", overrides={"lambda_min_clipped": -2.5}))
    out.append(run("euler_continuous_vpred", "euler", overrides={"timestep_type": "continuous",
                                                                 "prediction_type": "v_prediction"}))
    short = {"num_train_timesteps": 100, "trained_betas": np.linspace(0.001, 0.05, 100).round(6).tolist()}
    for s in ("euler", "ddim", "dpmpp_2m", "heun"):
        out.append(run(f"{s}_trained_betas_100", s, overrides=short, steps=8))
    for s in SAMPLERS:
        out.append(run(f"{s}_empty_config", s, overrides={k: None for k in SD15}))
    return out


def main():
    assert diffusers.__version__ == "0.30.3", diffusers.__version__
    torch.set_num_threads(1)
    all_cases = cases()
    with open(OUT, "w") as f:
        f.write("{\"diffusers\":%s,\"torch\":%s,\"base_config\":%s,\"cases\":[\n"
                % (json.dumps(diffusers.__version__), json.dumps(torch.__version__), json.dumps(SD15)))
        f.write(",\n".join(_json(c) for c in all_cases))
        f.write("\n]}\n")
    print(f"{len(all_cases)} cases -> {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
