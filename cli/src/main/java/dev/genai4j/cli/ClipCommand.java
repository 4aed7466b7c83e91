package dev.genai4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code genai4j clip TASK}: CLIP zero-shot classification, embeddings and retrieval. */
@Command(name = "clip",
        mixinStandardHelpOptions = true,
        description = {
                "CLIP zero-shot classification, embeddings and image/text retrieval.",
                "--model is an HF CLIP folder: config.json, model.safetensors (HF or OpenAI",
                "names), tokenizer.json, optional preprocessor_config.json.",
                "",
                "Examples:",
                "  genai4j clip classify --model models/clip --labels \"cat,dog\" img.png",
                "  genai4j clip index --model models/clip photos/ -o photos.index",
                "  genai4j clip search --model models/clip --index photos.index \"a dog on a beach\""
        },
        subcommands = {ClipClassifyCommand.class, ClipEmbedCommand.class, ClipIndexCommand.class, ClipSearchCommand.class})
final class ClipCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
