package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.EvaluationResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gold-quality and samples-per-prompt fields were added to {@code EvaluationResult} with
 * defaults: results written before them stay readable (backward), and readers that predate them
 * can read new results (forward). The schema before the change is kept under
 * {@code src/test/resources/schema-history} (the history {@code SchemaEvolutionTest} also reads).
 */
class EvaluationResultCompatibilityTest {

    private static Schema previous() throws IOException {
        try (InputStream in = EvaluationResultCompatibilityTest.class.getResourceAsStream("/schema-history/EvaluationResult/v1.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void theNewSchemaIsBackwardAndForwardCompatibleWithThePrevious() throws IOException {
        Schema old = previous();
        Schema current = EvaluationResult.getClassSchema();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aResultWrittenWithThePreviousSchemaReadsWithOneSampleAndNoGoldQuality() throws IOException {
        Schema old = previous();
        GenericRecord record = new GenericData.Record(old);
        record.put("policyVersion", 3L);
        record.put("step", 15L);
        record.put("task", "summarise");
        record.put("numPrompts", 32);
        record.put("validationReward", -4.5);
        record.put("winRate", 0.6);
        record.put("winRateCiLow", 0.5);
        record.put("winRateCiHigh", 0.7);
        record.put("evaluatedAtMs", 99L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(record, encoder);
        encoder.flush();

        EvaluationResult read = new SpecificDatumReader<EvaluationResult>(old, EvaluationResult.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.getWinRate()).isEqualTo(0.6);
        assertThat(read.getSamplesPerPrompt()).isEqualTo(1);
        assertThat(read.getGoldQuality()).isNull();
        assertThat(read.getReferenceGoldQuality()).isNull();
    }
}
