package dev.gopo.tasks;

/**
 * Which side of a task's prompts: {@link #TRAIN} prompts feed the generators and the supervised
 * warm start, {@link #EVAL} prompts are held out for the evaluator. A prompt text belongs to
 * exactly one split (see {@link PromptSplit}), whatever the seed.
 */
public enum Split {
    TRAIN,
    EVAL
}
