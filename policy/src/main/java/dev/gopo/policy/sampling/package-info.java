/**
 * Batched, seeded sampling of completion groups with a KV cache, recording behaviour log-probs
 * of the distribution actually sampled (after temperature, top-k and top-p).
 */
package dev.gopo.policy.sampling;
