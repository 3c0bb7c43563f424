package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The prefetch hand-off: poll order kept, at most {@code capacity} records ahead, failures in order, a clean stop. */
@Timeout(30)
class GroupPrefetcherTest {
    /** Polls batches of {@code perPoll} records with consecutive offsets, alternating between two partitions, up to {@code total}. */
    private static final class FakeSource implements GroupPrefetcher.Source {
        final int total;
        final int perPoll;
        final RuntimeException failAtEnd;
        int next;
        volatile int polls;
        volatile boolean woken;

        FakeSource(int total, int perPoll, RuntimeException failAtEnd) {
            this.total = total;
            this.perPoll = perPoll;
            this.failAtEnd = failAtEnd;
        }

        @Override
        public Iterable<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
            polls++;
            if (woken) {
                throw new WakeupException();
            }
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
            while (batch.size() < perPoll && next < total) {
                batch.add(new ConsumerRecord<>("advantages", next % 2, next, "k" + next, new byte[] {1}));
                next++;
            }
            if (batch.isEmpty() && failAtEnd != null) {
                throw failAtEnd;
            }
            return batch;
        }

        @Override
        public void wakeup() {
            woken = true;
        }
    }

    private static List<Long> takeAll(GroupPrefetcher<Long> prefetch, int n) throws InterruptedException {
        List<Long> out = new ArrayList<>();
        while (out.size() < n) {
            prefetch.next(Duration.ofMillis(100)).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void recordsAreHandedOffInPollOrderAndAtMostCapacityAhead() throws Exception {
        int total = 60;
        int capacity = 4;
        FakeSource source = new FakeSource(total, 7, null);
        AtomicInteger prepared = new AtomicInteger();
        List<Long> taken = new ArrayList<>();
        try (GroupPrefetcher<Long> prefetch = new GroupPrefetcher<>(source, r -> {
            prepared.incrementAndGet();
            return r.offset();
        }, capacity, "test-prefetch").start()) {
            while (taken.size() < total) {
                // a slow training thread: the fetch thread has time to run as far ahead as it may
                Thread.sleep(taken.size() % 10 == 0 ? 50 : 1);
                Optional<Long> next = prefetch.next(Duration.ofMillis(100));
                if (next.isPresent()) {
                    taken.add(next.get());
                    // queued (capacity) + the one taken + one prepared and waiting to be queued
                    assertThat(prepared.get()).as("prepared records after taking %d", taken.size())
                            .isLessThanOrEqualTo(taken.size() + capacity + 1);
                }
            }
            assertThat(prefetch.next(Duration.ofMillis(300))).as("nothing past the end").isEmpty();
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            expected.add(i);
        }
        assertThat(taken).as("exactly the polled records, in poll order").isEqualTo(expected);
    }

    @Test
    void aFailureOfTheFetchThreadComesAfterTheRecordsPolledBeforeIt() throws Exception {
        FakeSource source = new FakeSource(5, 2, new IllegalStateException("registry gone"));
        try (GroupPrefetcher<Long> prefetch = new GroupPrefetcher<>(source, ConsumerRecord::offset, 2, "test-prefetch").start()) {
            assertThat(takeAll(prefetch, 5)).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThatThrownBy(() -> {
                while (true) {
                    prefetch.next(Duration.ofMillis(100));
                }
            }).isInstanceOf(IllegalStateException.class).hasMessage("registry gone");
        }
    }

    @Test
    void closeStopsTheFetchThreadEvenWhenTheQueueIsFull() throws Exception {
        FakeSource source = new FakeSource(1000, 10, null);
        GroupPrefetcher<Long> prefetch = new GroupPrefetcher<>(source, ConsumerRecord::offset, 3, "test-prefetch").start();
        assertThat(takeAll(prefetch, 2)).containsExactly(0L, 1L);
        prefetch.close();
        assertThat(prefetch.isClosing()).isTrue();
        int polls = source.polls;
        Thread.sleep(300);
        assertThat(source.polls).as("the source is no longer used after close").isEqualTo(polls);
        assertThat(source.woken).as("a fetch thread that notices close by itself needs no wakeup").isFalse();
    }
}
