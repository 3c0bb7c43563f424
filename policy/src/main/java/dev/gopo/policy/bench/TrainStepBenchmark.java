package dev.gopo.policy.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.training.AdamWConfig;
import dev.gopo.policy.training.LossConfig;
import dev.gopo.policy.training.PolicyTrainer;
import dev.gopo.policy.training.StepResult;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.policy.training.TrainingSequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bare training-step cost, no Kafka: {@link PolicyTrainer#step} (reference forward, policy
 * forward/backward, gradient clipping, AdamW) on a batch of 32 sequences of 64 tokens
 * (16 prompt + 48 completion), for the tiny and small presets. The learner benchmark compares
 * its end-to-end figures against these.
 *
 * <p>Arguments (optional): {@code steps} (default 10), {@code batch} (32), {@code length} (64).
 */
public final class TrainStepBenchmark {

    private static final int PROMPT = 16;

    private TrainStepBenchmark() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int length = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        TrainerConfig config = new TrainerConfig(LossConfig.paperDefaults(), AdamWConfig.defaults(1e-4), 1.0);
        for (String preset : new String[] {"tiny", "small"}) {
            PolicyConfig shape = preset.equals("tiny") ? PolicyConfig.tiny() : PolicyConfig.small();
            try (PolicyTrainer trainer = PolicyTrainer.create(PolicyModel.create(shape, Tokenizer.ascii()), config)) {
                List<TrainingSequence> batch = batch(batchSize, length, shape.vocabSize());
                double forwardMs = timeForward(trainer.policy(), batch, steps);
                for (int i = 0; i < 2; i++) {
                    trainer.step(batch); // warm-up
                }
                long started = System.nanoTime();
                StepResult last = null;
                for (int i = 0; i < steps; i++) {
                    last = trainer.step(batch);
                }
                double stepMs = (System.nanoTime() - started) / 1e6 / steps;
                long tokens = (long) batchSize * length;
                System.out.printf("%-5s %,9d params  batch %dx%d  forward only %7.1f ms  full step %7.1f ms"
                                + "  = %8.0f tokens/s (%8.0f completion tokens/s)  last loss %.4f%n",
                        preset, shape.parameterCount(), batchSize, length, forwardMs, stepMs,
                        tokens / (stepMs / 1e3), last.tokens() / (stepMs / 1e3), last.loss());
            }
        }
    }

    /** Random prompts and completions with plausible behaviour log-probs and GOPO-range advantages. */
    private static List<TrainingSequence> batch(int batchSize, int length, int vocab) {
        Random random = new Random(7);
        List<TrainingSequence> batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            int[] prompt = new int[PROMPT];
            int[] completion = new int[length - PROMPT];
            float[] logProbs = new float[completion.length];
            prompt[0] = Tokenizer.BOS;
            for (int k = 1; k < prompt.length; k++) {
                prompt[k] = 4 + random.nextInt(vocab - 4);
            }
            for (int k = 0; k < completion.length; k++) {
                completion[k] = 4 + random.nextInt(vocab - 4);
                logProbs[k] = (float) -Math.log(vocab);
            }
            batch.add(new TrainingSequence(prompt, completion, logProbs, 2 - 4.0 * (i % 8) / 7));
        }
        return batch;
    }

    /** Mean milliseconds of one policy forward ({@code tokenLogProbs}) over the batch. */
    private static double timeForward(PolicyModel model, List<TrainingSequence> batch, int repeats) {
        int b = batch.size();
        int t = batch.get(0).length();
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) {
            TrainingSequence s = batch.get(i);
            System.arraycopy(s.promptTokens(), 0, flat, i * t, PROMPT);
            System.arraycopy(s.completionTokens(), 0, flat, i * t + PROMPT, t - PROMPT);
        }
        long started = 0;
        for (int i = 0; i < repeats + 2; i++) {
            if (i == 2) {
                started = System.nanoTime();
            }
            try (NDManager step = model.manager().newSubManager()) {
                NDArray tokens = step.create(flat, new Shape(b, t));
                model.tokenLogProbs(tokens, 1.0).sum().getFloat();
            }
        }
        return (System.nanoTime() - started) / 1e6 / repeats;
    }
}
