/**
 * RL fine-tuning of the text-to-image diffusion models ({@code genai4j rl}): DDPO with the
 * score-function and the importance-sampled estimators (arXiv 2305.13301), DPOK with its per-step
 * KL bound to the frozen pretrained UNet, value baseline and replay buffer (arXiv 2305.16381),
 * and DPOK's reward-weighted supervised baseline. Every trajectory is DDIM with η &gt; 0, so each
 * step x_t → x_{t−1} is a Gaussian policy action whose log-probability is recomputed with
 * gradients through the UNet ({@link dev.genai4j.models.diffusion.rl.StepMath}).
 *
 * <ul>
 *   <li>{@link dev.genai4j.models.diffusion.rl.RlTrainer} — the online methods, one epoch at a time;</li>
 *   <li>{@link dev.genai4j.models.diffusion.rl.RewardWeightedSft} — {@code --method sft};</li>
 *   <li>{@link dev.genai4j.models.diffusion.rl.PerPromptStatTracker}, {@link dev.genai4j.models.diffusion.rl.PolicyLoss},
 *       {@link dev.genai4j.models.diffusion.rl.KlRegularizer}, {@link dev.genai4j.models.diffusion.rl.ValueFunction},
 *       {@link dev.genai4j.models.diffusion.rl.ReplayBuffer} — the pieces, each tested against hand-worked values;</li>
 *   <li>{@link dev.genai4j.models.diffusion.rl.RlRun} — a run with evaluation, curves, grids, atomic
 *       checkpoints ({@link dev.genai4j.models.diffusion.rl.RlCheckpoint}) and resume.</li>
 * </ul>
 *
 * <pre>{@code
 * genai4j rl --method dpok --reward classifier --classes shirt,coat --epochs 20 --beta 0.1 -o runs/rl-dpok --threads 1
 * genai4j rl --method dpok --reward classifier --classes shirt,coat --epochs 30 -o runs/rl-dpok --resume --threads 1
 * genai4j txt2img "a photo of a shirt" -n 8 -o out --model runs/rl-dpok/checkpoint --eta 1 --steps 10
 * }</pre>
 */
package dev.genai4j.models.diffusion.rl;
