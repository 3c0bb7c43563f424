package dev.gopo.tasks.optim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShuffledBatchesTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 10).boxed().toList();

    @Test
    void everyPassVisitsEachItemOnceEvenWhenBatchesSpanPasses() {
        ShuffledBatches<Integer> batches = new ShuffledBatches<>(ITEMS, 7);
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            drawn.addAll(batches.next(3));   // 30 items = exactly 3 passes, batches cross pass ends
        }
        for (int pass = 0; pass < 3; pass++) {
            assertThat(drawn.subList(10 * pass, 10 * pass + 10)).containsExactlyInAnyOrderElementsOf(ITEMS);
        }
        assertThat(drawn.subList(0, 10)).isNotEqualTo(drawn.subList(10, 20));   // a fresh shuffle per pass
    }

    @Test
    void sameSeedSameBatchesOtherSeedOtherBatches() {
        ShuffledBatches<Integer> a = new ShuffledBatches<>(ITEMS, 7);
        ShuffledBatches<Integer> b = new ShuffledBatches<>(ITEMS, 7);
        ShuffledBatches<Integer> c = new ShuffledBatches<>(ITEMS, 8);
        List<Integer> first = a.next(10);
        assertThat(b.next(10)).isEqualTo(first);
        assertThat(c.next(10)).isNotEqualTo(first);
    }

    @Test
    void theCallersListIsNotReordered() {
        List<Integer> items = new ArrayList<>(ITEMS);
        new ShuffledBatches<>(items, 7).next(25);
        assertThat(items).isEqualTo(ITEMS);
    }

    @Test
    void emptyDataIsRejected() {
        assertThatThrownBy(() -> new ShuffledBatches<>(List.of(), 1)).hasMessageContaining("nothing to draw");
    }
}
