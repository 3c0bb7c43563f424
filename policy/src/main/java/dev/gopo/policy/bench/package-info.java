/** Stand-alone benchmark mains (not tests); see the module README for how to run them. */
package dev.gopo.policy.bench;
