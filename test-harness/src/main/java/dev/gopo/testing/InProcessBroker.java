package dev.gopo.testing;

import dev.gopo.embedded.EmbeddedKafka;
import java.nio.file.Path;

/** The in-process KRaft broker, used when no Docker engine is available. */
final class InProcessBroker implements TestBroker {
    private final EmbeddedKafka kafka;

    InProcessBroker(Path dataDir) throws Exception {
        kafka = EmbeddedKafka.start(dataDir, true, 4);
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-process KRaft broker";
    }

    @Override
    public void close() throws Exception {
        kafka.close();
    }
}
