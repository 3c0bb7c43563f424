package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.avro.Prompt;
import dev.gopo.avro.Reward;
import dev.gopo.avro.TrainingMetrics;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema changes stay backward compatible: every published version of a record, kept in
 * {@code src/test/resources/schema-history/<Record>/v<N>.avsc}, must be readable with the current
 * schema (what the registry's {@code BACKWARD} level checks against the latest version only; here
 * against all of them, without a registry). The newest history file must be the current schema, so
 * a change to an {@code .avsc} fails this test until its new version is added to the history.
 */
@Timeout(30)
class SchemaEvolutionTest {

    static Stream<Schema> currentSchemas() {
        return Stream.of(Prompt.getClassSchema(), Completion.getClassSchema(), Reward.getClassSchema(), AdvantageGroup.getClassSchema(),
                PolicyVersion.getClassSchema(), EvaluationResult.getClassSchema(), TrainingMetrics.getClassSchema(),
                DeadLetter.getClassSchema());
    }

    private static List<Path> history(Schema current) throws IOException, URISyntaxException {
        URL dir = SchemaEvolutionTest.class.getResource("/schema-history/" + current.getName());
        assertThat(dir).as("no schema history for %s: copy src/main/avro/%s.avsc to src/test/resources/schema-history/%s/v1.avsc",
                current.getName(), current.getName(), current.getName()).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(SchemaEvolutionTest::versionOf)).toList();
        }
    }

    private static int versionOf(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyPublishedVersionIsReadableWithTheCurrentSchema(Schema current) throws Exception {
        List<Path> versions = history(current);
        assertThat(versions).isNotEmpty();
        for (Path file : versions) {
            Schema old = new Schema.Parser().parse(file.toFile());
            SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            assertThat(result.getType())
                    .as("%s: the current schema cannot read data written with %s (new fields need a default, types may only "
                            + "be promoted): %s", current.getName(), file.getFileName(), result.getResult().getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
        Path latest = versions.get(versions.size() - 1);
        Schema newest = new Schema.Parser().parse(latest.toFile());
        assertThat(SchemaNormalization.parsingFingerprint64(newest))
                .as("%s changed since %s: copy src/main/avro/%s.avsc to schema-history/%s/v%d.avsc (the history is what old "
                        + "records on the topics were written with)", current.getName(), latest.getFileName(), current.getName(),
                        current.getName(), versionOf(latest) + 1)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyRecordAndFieldHasADoc(Schema current) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(current, undocumented);
        assertThat(undocumented).as("records and fields without a doc").isEmpty();
    }

    private static void collectUndocumented(Schema schema, List<String> out) {
        switch (schema.getType()) {
            case RECORD -> {
                if (schema.getDoc() == null || schema.getDoc().isBlank()) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field f : schema.getFields()) {
                    if (f.doc() == null || f.doc().isBlank()) {
                        out.add(schema.getName() + "." + f.name());
                    }
                    collectUndocumented(f.schema(), out);
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), out);
            case MAP -> collectUndocumented(schema.getValueType(), out);
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, out));
            default -> {
            }
        }
    }
}
