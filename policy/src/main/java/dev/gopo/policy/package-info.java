/**
 * The GOPO policy: {@link dev.gopo.policy.PolicyConfig} (shape), {@link dev.gopo.policy.Tokenizer}
 * (character level) and {@link dev.gopo.policy.PolicyModel} (decoder-only causal transformer on
 * DJL/PyTorch, save/load with SHA-256). Sampling lives in {@code sampling}, the RL update in
 * {@code training}; {@code model} and {@code io} are building blocks.
 */
package dev.gopo.policy;
