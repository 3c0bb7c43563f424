package dev.gopo.generator.feed;

import dev.gopo.avro.Prompt;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes built-in task prompts to the prompts topic, interleaving the tasks, so a run trains on
 * all of them. Prompts are deterministic in the seed; with more prompts requested than a task has,
 * its prompts are repeated (each repetition is a new group).
 */
public final class PromptFeeder {
    private PromptFeeder() {
    }

    /** The prompts that {@link #publish} would send, in order. */
    public static List<Prompt> prompts(List<Task> tasks, Split split, int count, long seed) {
        List<List<TaskPrompt>> perTask = new ArrayList<>();
        int each = (count + tasks.size() - 1) / tasks.size();
        for (Task task : tasks) {
            perTask.add(task.prompts(split, each, seed));
        }
        List<Prompt> out = new ArrayList<>(count);
        long now = System.currentTimeMillis();
        for (int i = 0; out.size() < count; i++) {
            List<TaskPrompt> list = perTask.get(i % tasks.size());
            TaskPrompt p = list.get((i / tasks.size()) % list.size());
            out.add(Prompt.newBuilder().setPromptId(p.id()).setTask(p.task()).setSplit(split.name().toLowerCase())
                    .setText(p.text()).setCreatedAtMs(now).build());
        }
        return out;
    }

    /** Publishes the prompts and waits until the broker has them all. */
    public static int publish(ClusterConfig cluster, List<Prompt> prompts) {
        Topic<String, Prompt> topic = cluster.topics().prompts();
        try (KafkaProducer<String, Prompt> producer = new KafkaProducer<>(KafkaClients.producer(cluster, "prompt-feeder"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (Prompt p : prompts) {
                producer.send(new ProducerRecord<>(topic.name(), p.getPromptId(), p));
            }
            producer.flush();
        }
        return prompts.size();
    }
}
