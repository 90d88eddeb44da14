/**
 * Samplers and seeded noise that reproduce Hugging Face diffusers v0.30.3 on torch's CPU generator: same seed,
 * same settings, same latents. Pure Java: no ONNX Runtime, JavaFX or Jackson here (the config is parsed by
 * {@code org.latentstudio.io.SchedulerConfigJson}).
 *
 * <h2>The loop</h2>
 * A {@link org.latentstudio.diffusion.Sampler} is one diffusers scheduler driven by <em>call index</em> (the
 * position in {@code scheduler.timesteps}), never by searching for a timestep value. The pipeline loop is
 * diffusers' loop over {@code scheduler.timesteps}:
 * <pre>{@code
 * Sampler s = Samplers.create("dpmpp_2m", "karras", SchedulerConfigJson.read(modelDir.resolve("scheduler")), 0f);
 * s.setTimesteps(steps);
 * TorchGenerator g = new TorchGenerator(seed);               // torch.Generator("cpu").manual_seed(seed)
 * float[] t = s.timesteps();
 * Tensor latents = g.randn(1, 4, h / 8, w / 8).times(s.initNoiseSigma());
 * int begin = 0;
 * // img2img instead: begin = Samplers.img2imgBeginIndex(steps, strength, s.order());
 * //                  latents = s.addNoise(vaeLatents, g.randn(shape), begin);
 * for (int i = begin; i < t.length; i++) {
 *   Tensor in = s.scaleModelInput(latents, i);                // for CFG: scale the batch of 2 the same way
 *   Tensor eps = unet(in, t[i], text);                        // t[i] may be fractional
 *   StepResult r = s.step(eps, i, latents, g);                // draws noise where diffusers does
 *   latents = r.prevSample();                                 // r.predOriginalSample(): x0, for previews
 * }
 * }</pre>
 *
 * <h2>Call indices and timesteps</h2>
 * <ul>
 *   <li>Most samplers have one call per step. Heun has {@code 2 * steps - 1}: timesteps and sigmas are
 *       interleaved ({@code [t0, t1, t1, t2, t2, ...]}), even indices take an Euler step, odd ones the correction.
 *       PNDM (PLMS, SD1.5's {@code skip_prk_steps}) has {@code steps + 1}, repeating the second timestep; without
 *       {@code skip_prk_steps} it starts with 12 Runge–Kutta calls.
 *   <li>{@link org.latentstudio.diffusion.Sampler#timesteps()} is float: the Euler family on {@code linspace},
 *       karras or exponential gives fractional timesteps (DPM-Solver rounds its karras ones, as diffusers does;
 *       diffusers keeps Heun's and LMS's karras timesteps in float64, here they are float32 like a model gets them).
 *   <li>{@link org.latentstudio.diffusion.Sampler#sigmas()} has one entry per call index plus the final one, which
 *       is an explicit 0 (or sigma_min where the config asks for it); it is empty for DDIM, DDPM and PNDM.
 *   <li>{@code step} must be called in order; {@code setTimesteps} resets all state.
 * </ul>
 *
 * <h2>img2img</h2>
 * As diffusers' img2img pipeline: {@code init = min(int(steps * strength), steps)},
 * {@code t_start = max(steps - init, 0)}, begin index {@code t_start * order()} ({@code order()} is 2 for Heun,
 * 1 for the rest, PNDM included). {@code addNoise(x0, noise, begin)} noises to that call's level (sigma for the
 * Euler family, alpha/sigma for DPM-Solver, {@code alphas_cumprod[t]} for DDIM, DDPM, PNDM) and the loop runs
 * from {@code begin}. Samplers whose state diffusers counts from the first call (DPM-Solver's order warm-up,
 * LMS's derivative history, Heun's half step, PNDM's counter) count the same way here, and LMS's order follows
 * the absolute index, as in diffusers.
 *
 * <h2>Noise draws</h2>
 * Every draw is {@code randn(model_output.shape)} on the pipeline's generator, i.e. the full latent batch:
 * <table>
 *   <caption>Generator draws per {@code step} call</caption>
 *   <tr><th>sampler</th><th>draws</th></tr>
 *   <tr><td>euler</td><td>one per call, before the update, never used (churn 0); skipped if {@code noise} is null</td></tr>
 *   <tr><td>euler_ancestral</td><td>one per call, after the Euler step</td></tr>
 *   <tr><td>ddpm</td><td>one per call whose timestep is above 0</td></tr>
 *   <tr><td>ddim</td><td>one per call when eta &gt; 0, none when eta = 0</td></tr>
 *   <tr><td>heun, dpmpp_2m, lms, pndm</td><td>none</td></tr>
 * </table>
 * The pipeline's own draws come first: txt2img one {@code randn(shape)} for the initial latents; img2img the VAE
 * posterior sample's {@code randn} and then the added noise's.
 *
 * <h2>Samplers and schedules</h2>
 * {@link org.latentstudio.diffusion.Samplers#create} maps names as {@code src/python/lsmodels/samplers.py} does:
 * {@code normal} keeps the config's {@code timestep_spacing} (SD1.5: leading); {@code leading}, {@code trailing},
 * {@code linspace} set it; {@code karras} is diffusers' {@code use_karras_sigmas=True} with the config's spacing;
 * {@code exponential} is {@code exp(linspace(log sigma_max, log sigma_min, n))} plus a final 0, between the same
 * extremes karras uses (later diffusers' {@code use_exponential_sigmas}; 0.30.3 has none). euler, euler_ancestral,
 * heun, dpmpp_2m and lms accept all six; ddim, ddpm and pndm have no sigmas and reject karras and exponential.
 * Not in diffusers 0.30.3 and so checked against diffusers' own code paths composed by the reference script:
 * exponential for every sigma sampler, karras and exponential for euler_ancestral, {@code sample} prediction for
 * euler_ancestral and pndm.
 *
 * <h2>Exactness</h2>
 * {@link org.latentstudio.diffusion.TorchGenerator} matches torch 1.13's {@code randn} bit for bit. The samplers
 * compute in float32 in torch's operation order, and the schedules in float64 where numpy does, so against
 * diffusers most golden cases are bit for bit; the rest differ by a few float32 ulps where torch uses SLEEF's
 * float log/exp (DPM-Solver's lambdas, DDPM's fixed_small_log) or numpy its float32 log (karras/exponential
 * timesteps). See {@code SchedulerGoldenTest} and {@code src/python/reference/}.
 */
package org.latentstudio.diffusion;
