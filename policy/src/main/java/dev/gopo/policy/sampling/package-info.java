/**
 * Batched, seeded sampling of completion groups with a KV cache, recording behaviour log-probs
 * of the full temperature-scaled distribution.
 */
package dev.gopo.policy.sampling;
