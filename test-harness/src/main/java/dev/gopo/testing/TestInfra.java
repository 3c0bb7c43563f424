package dev.gopo.testing;

import dev.gopo.embedded.EmbeddedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Real infrastructure for integration tests, started once per test JVM and stopped when it exits:
 * a Kafka broker (Testcontainers when a Docker engine is available, the in-process KRaft broker
 * otherwise; {@code -Dgopo.test.broker=container|embedded} forces one) and the Apicurio schema
 * registry as a child JVM.
 *
 * <p>Tests isolate themselves with {@link #uniquePrefix(String)}: every topic and consumer group
 * of a test carries its own prefix.
 */
public final class TestInfra {
    private static final Logger log = LoggerFactory.getLogger(TestInfra.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static TestInfra instance;

    private final TestBroker broker;
    private final EmbeddedRegistry registry;
    private final Path workDir;

    private TestInfra(TestBroker broker, EmbeddedRegistry registry, Path workDir) {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
    }

    /** The shared infrastructure, started on first use. */
    public static synchronized TestInfra get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start test infrastructure (broker + registry): " + e.getMessage(), e);
            }
            TestInfra started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-infra-shutdown"));
        }
        return instance;
    }

    private static TestInfra start() throws Exception {
        Path workDir = Files.createTempDirectory("gopo-test-");
        String mode = System.getProperty("gopo.test.broker", "auto");
        TestBroker broker;
        if (mode.equals("container") || (mode.equals("auto") && dockerAvailable())) {
            broker = new ContainerBroker(System.getProperty("gopo.test.kafka.image", "apache/kafka:4.1.0"));
        } else {
            broker = new InProcessBroker(workDir.resolve("kafka"));
        }
        EmbeddedRegistry registry = EmbeddedRegistry.start(workDir.resolve("registry"), Duration.ofSeconds(90));
        log.info("test infrastructure: {} at {}, registry at {}", broker.description(), broker.bootstrapServers(), registry.url());
        return new TestInfra(broker, registry, workDir);
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            log.info("no Docker engine (no DOCKER_HOST, no /var/run/docker.sock); using the in-process KRaft broker");
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.info("no Docker engine ({}); using the in-process KRaft broker", e.toString());
            return false;
        }
    }

    private void stop() {
        try {
            registry.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            broker.close();
        } catch (Exception e) {
            log.warn("broker did not stop cleanly", e);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public Path workDir() {
        return workDir;
    }

    /** A prefix no other test in this JVM uses, legal in topic names, ending in '.'. */
    public static String uniquePrefix(String name) {
        String clean = name.replaceAll("[^a-zA-Z0-9_-]", "-");
        return "t" + COUNTER.incrementAndGet() + "-" + clean + "-" + UUID.randomUUID().toString().substring(0, 6) + ".";
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    public void createTopics(Collection<String> names, int partitions) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            admin.createTopics(topics).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + names + ": " + e.getMessage(), e);
        }
    }

    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    /** Produces keyed records with {@code valueSerializer} and waits for each acknowledgement. */
    @SafeVarargs
    public final <V> void produce(String topic, Serializer<V> valueSerializer, Map.Entry<String, V>... records) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(producerProps(), new StringSerializer(), valueSerializer)) {
            for (Map.Entry<String, V> r : records) {
                producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())).get();
            }
        }
    }

    /** Produces raw bytes (e.g. garbage that is not Avro) and waits for the acknowledgement. */
    public void produceRaw(String topic, String key, byte[] value) throws Exception {
        produce(topic, new ByteArraySerializer(), Map.entry(key, value));
    }

    public Map<String, Object> consumerProps(String group) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /**
     * Reads {@code topic} from the beginning (committed records only) with a fresh consumer group
     * until at least {@code atLeast} records came and the topic then stayed quiet for three polls,
     * or {@code timeout} passed; the caller asserts on what came, so a missing record fails the test.
     */
    public <V> List<ConsumerRecord<String, V>> readRecords(String topic, Deserializer<V> deserializer, int atLeast,
                                                           Duration timeout) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProps(topic + "-check-" + System.nanoTime()),
                new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (out.size() < atLeast || emptyPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                records.forEach(out::add);
            }
        }
        return out;
    }

    /** The values of {@link #readRecords}. */
    public <V> List<V> readValues(String topic, Deserializer<V> deserializer, int atLeast, Duration timeout) {
        return readRecords(topic, deserializer, atLeast, timeout).stream().map(ConsumerRecord::value).toList();
    }
}
