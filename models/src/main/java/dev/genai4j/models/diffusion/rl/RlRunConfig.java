package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DiffusionException;

import java.nio.file.Path;
import java.util.List;

/**
 * The run around an {@link RlConfig}: where it writes, which prompts it trains and evaluates on,
 * how long it runs.
 *
 * @param output          run folder: {@code checkpoint/}, {@code rewards.csv}, {@code reward_curve.png},
 *                        {@code before_after.png}, {@code eval.json}
 * @param rewardName      the reward's registry name (recorded; a resume with another reward is refused)
 * @param textNorm        whether the reward is TextNorm-normalized over contrastive prompts
 * @param prompts         training prompts
 * @param evalPrompts     held-out prompts for the before/after evaluation
 * @param epochs          epochs in all (a resumed run continues up to this)
 * @param evalPerPrompt   images per evaluation prompt
 * @param checkpointEvery checkpoint every N epochs (and at the end)
 * @param minutes         stop with a checkpoint after this many minutes (0 = no limit)
 * @param resume          continue the checkpoint in {@code output}
 */
public record RlRunConfig(Path output, String rewardName, boolean textNorm, List<String> prompts, List<String> evalPrompts, int epochs,
                          int evalPerPrompt, int checkpointEvery, double minutes, boolean resume) {
    public RlRunConfig {
        prompts = List.copyOf(prompts);
        evalPrompts = List.copyOf(evalPrompts);
        if (prompts.isEmpty()) throw new DiffusionException("rl: no training prompts");
        for (String p : prompts) if (p.isBlank()) throw new DiffusionException("rl: a training prompt is empty");
        for (String p : evalPrompts) if (p.isBlank()) throw new DiffusionException("rl: an evaluation prompt is empty");
        if (epochs < 1 || evalPerPrompt < 0 || checkpointEvery < 1 || !(minutes >= 0)) {
            throw new DiffusionException("rl: need epochs ≥ 1, eval images per prompt ≥ 0, checkpoint-every ≥ 1 and minutes ≥ 0, got "
                    + epochs + ", " + evalPerPrompt + ", " + checkpointEvery + ", " + minutes);
        }
    }

    /** The reward's name as the run records it ({@code classifier+textnorm} under TextNorm). */
    public String rewardLabel() { return textNorm ? rewardName + dev.genai4j.models.diffusion.reward.TextNorm.NAME_SUFFIX : rewardName; }
}
