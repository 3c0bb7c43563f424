package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Every test in the build runs under a default JUnit timeout, set once in the parent POM's surefire configuration,
 * so one hung test fails on its own instead of eating the CI budget. This checks the setting reaches the engine.
 */
class TestTimeoutsTest {
    @Test
    @ExtendWith(ConfigurationParameters.class)
    void unitTestsRunUnderADefaultTimeout(ExtensionContext context) {
        assertThat(context.getConfigurationParameter("junit.jupiter.execution.timeout.default"))
                .as("set in the parent pom's maven-surefire-plugin configurationParameters").isEqualTo(Optional.of("5 m"));
    }

    /** Hands the test its own extension context, through which configuration parameters are visible. */
    static final class ConfigurationParameters implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ExtensionContext.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context;
        }
    }
}
