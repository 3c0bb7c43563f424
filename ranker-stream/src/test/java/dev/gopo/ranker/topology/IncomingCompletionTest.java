package dev.gopo.ranker.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.Completion;
import dev.gopo.ranker.state.AvroBytes;
import dev.gopo.ranker.state.avro.StoredCompletion;
import dev.gopo.ranker.state.avro.StoredPrompt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The in-place scan of a completion agrees with Avro's decoder, and its byte ranges are valid stored values. */
class IncomingCompletionTest {
    private final AvroBytes.Writer buffer = new AvroBytes.Writer(64);

    @Test
    void scanReadsWhatAvroReadsAndStoresWhatTheCodecWouldStore() throws IOException {
        Completion c = Samples.completion("g-1", 2, 4, 0.75).setText("some text").setTokenIds(List.of(1, 300, 70_000, -5))
                .setBehaviourLogProbs(List.of(-0.5f, -1.5f, -3f, -0.125f)).setPolicyVersion(1L << 40).build();
        IncomingCompletion s = IncomingCompletion.scan(encode(c), 0);
        assertThat(List.of(s.groupId(), s.promptId(), s.task(), s.index(), s.groupSize(), s.tokenCount(), s.logProbCount(), s.nonFiniteLogProbAt(),
                s.policyVersion(), s.reward(), s.policyStep(), s.temperature()))
                .containsExactly("g-1", "prompt-g-1", "summarise", 2, 4, 4, 4, -1, 1L << 40, 0.75, c.getPolicyStep(), 0.7);

        byte[] prompt = s.storedPrompt(buffer);
        assertThat(prompt[0]).isEqualTo((byte) 2);
        assertThat(decode(prompt, new StoredPrompt())).isEqualTo(new StoredPrompt("prompt-g-1", "summarise", List.of(1, 7, 9)));
        byte[] stored = s.storedCompletion(buffer, null);
        assertThat(decode(stored, new StoredCompletion())).isEqualTo(new StoredCompletion(c.getTokenIds(), c.getBehaviourLogProbs(),
                c.getPolicyVersion(), c.getGeneratorId(), null, c.getPolicyStep(), c.getTemperature()));
    }

    @Test
    void theFirstNonFiniteLogProbIsReportedWithItsPosition() throws IOException {
        Completion c = Samples.completion("g", 0, 2, null).setTokenIds(List.of(1, 2, 3)).setBehaviourLogProbs(List.of(-1f, Float.NaN, Float.NEGATIVE_INFINITY)).build();
        IncomingCompletion s = IncomingCompletion.scan(encode(c), 0);
        assertThat(s.nonFiniteLogProbAt()).isEqualTo(1);
        assertThat(Float.isNaN(s.nonFiniteLogProb())).isTrue();
        assertThat(s.reward()).isNull();
    }

    @Test
    void truncatedOrTrailingBytesAreRefused() throws IOException {
        byte[] bytes = encode(Samples.completion("g", 0, 2, 1.0).build());
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] shorter = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> IncomingCompletion.scan(shorter, 0)).isInstanceOfAny(IllegalArgumentException.class, ArithmeticException.class);
        }
        assertThatThrownBy(() -> IncomingCompletion.scan(Arrays.copyOf(bytes, bytes.length + 1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] encode(Completion c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Completion.getClassSchema()).write(c, e);
        e.flush();
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T decode(byte[] stored, T like) throws IOException {
        return (T) new SpecificDatumReader<>(like.getSchema()).read(null, DecoderFactory.get().binaryDecoder(stored, 1, stored.length - 1, null));
    }
}
