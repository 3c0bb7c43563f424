package dev.gopo.tasks;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The options that choose the prepared reference policy and reward models, shared by every command that
 * prepares or reuses them ({@code gopo prepare}, {@code run}, {@code study}, {@code replay}) as a picocli mixin:
 * one declaration, one default each ({@link PrepareSettings}), so every command reads the same cache entry for
 * the same choice.
 */
public final class PrepareOptions {
    @Option(names = "--cache-dir", defaultValue = "gopo-work/cache",
            description = "Prepared reference policy and reward models, reused across commands. Default: ${DEFAULT-VALUE}")
    Path cacheDir;

    @Option(names = "--model-size", defaultValue = "SMALL", converter = ModelSizeConverter.class,
            description = "TINY (~30k params) or SMALL (~0.9M params), any case. Default: ${DEFAULT-VALUE}")
    ModelSize modelSize;

    @Option(names = "--sft-steps", defaultValue = "" + PrepareSettings.DEFAULT_SFT_STEPS,
            description = "Supervised warm-start steps of the reference policy. Default: ${DEFAULT-VALUE}")
    int sftSteps;

    @Option(names = "--rm-steps", defaultValue = "" + PrepareSettings.DEFAULT_RM_STEPS,
            description = "Bradley-Terry steps of each reward model. Default: ${DEFAULT-VALUE}")
    int rmSteps;

    public Path cacheDir() {
        return cacheDir;
    }

    /** The default settings with these options and {@code seed} (the seed of prompts, preference data and initialisation). */
    public PrepareSettings settings(long seed) {
        return PrepareSettings.defaults().withModelSize(modelSize).withSteps(sftSteps, rmSteps).withSeed(seed);
    }

    /** Any case, also where the command line does not make every enum case-insensitive (a command run on its own). */
    public static final class ModelSizeConverter implements ITypeConverter<ModelSize> {
        @Override
        public ModelSize convert(String value) {
            return ModelSize.parse(value);
        }
    }
}
