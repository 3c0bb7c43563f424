/**
 * Building blocks of {@link dev.gopo.policy.PolicyModel}: parameter layout and seeded
 * initialisation, the forward pass written on NDArrays, and the KV cache. Workers should go
 * through {@code PolicyModel}; these classes are public so that the sampling and training
 * packages can share them.
 */
package dev.gopo.policy.model;
