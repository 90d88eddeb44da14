"""Map Latent Studio sampler and schedule names onto configured diffusers schedulers.

``make_scheduler("dpmpp_2m", "karras", config)`` builds the scheduler diffusers would use for that
combination, starting from a model's ``scheduler_config.json`` (SD1.5 ships a PNDM config; diffusers'
``from_config`` carries the shared fields such as the beta schedule and ``steps_offset`` over).
"""
from __future__ import annotations

import json
import os
from typing import Union

SAMPLERS = {
    "euler": ("EulerDiscreteScheduler", {}),
    "euler_ancestral": ("EulerAncestralDiscreteScheduler", {}),
    "heun": ("HeunDiscreteScheduler", {}),
    "dpmpp_2m": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++", "solver_order": 2}),
    "lms": ("LMSDiscreteScheduler", {}),
    "ddim": ("DDIMScheduler", {}),
    "ddpm": ("DDPMScheduler", {}),
    "pndm": ("PNDMScheduler", {}),
}

SPACINGS = ("leading", "trailing", "linspace")
SCHEDULES = ("normal", "karras") + SPACINGS

# Schedulers whose __init__ takes use_karras_sigmas in diffusers 0.30.3 (of the ones we map).
KARRAS_SAMPLERS = frozenset({"euler", "heun", "dpmpp_2m", "lms"})


def load_scheduler_config(source: Union[str, dict]) -> dict:
    """A config dict from a dict, a scheduler_config.json path, or a folder holding one."""
    if isinstance(source, dict):
        return dict(source)
    if os.path.isdir(source):
        source = os.path.join(source, "scheduler_config.json")
    with open(source) as f:
        return json.load(f)


def make_scheduler(sampler_name: str, schedule: str, scheduler_config: Union[str, dict]):
    """A diffusers scheduler for ``sampler_name`` x ``schedule``.

    schedule: ``normal`` keeps the config's timestep_spacing; ``leading``/``trailing``/``linspace`` set it;
    ``karras`` sets use_karras_sigmas=True with the config's own spacing (ValueError where unsupported).
    """
    import diffusers  # deferred: only scheduler users need the diffusers sources on the path

    if sampler_name not in SAMPLERS:
        raise ValueError(f"unknown sampler {sampler_name!r}; known: {sorted(SAMPLERS)}")
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; known: {list(SCHEDULES)}")
    class_name, overrides = SAMPLERS[sampler_name]
    overrides = dict(overrides)
    if schedule in SPACINGS:
        overrides["timestep_spacing"] = schedule
    elif schedule == "karras":
        if sampler_name not in KARRAS_SAMPLERS:
            raise ValueError(f"{sampler_name} has no karras sigmas in diffusers {diffusers.__version__}")
        overrides["use_karras_sigmas"] = True
    config = load_scheduler_config(scheduler_config)
    config.pop("_class_name", None)
    config.pop("_diffusers_version", None)
    return getattr(diffusers, class_name).from_config(config, **overrides)
