/** Files: atomic writes, the deterministic tensor format, SHA-256 and the module's JSON mapper. */
package dev.gopo.policy.io;
