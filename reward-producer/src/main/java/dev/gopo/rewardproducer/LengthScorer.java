package dev.gopo.rewardproducer;

import java.util.List;

/**
 * The trivial demo scorer: reward = completion length in characters, for any task. Useful to see
 * rewards flow without reward models; training on it teaches the policy to ramble.
 */
final class LengthScorer implements CompletionScorer {

    @Override
    public boolean knows(String task) {
        return true;
    }

    @Override
    public double[] score(String task, List<String> prompts, List<String> completions) {
        return completions.stream().mapToDouble(String::length).toArray();
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
