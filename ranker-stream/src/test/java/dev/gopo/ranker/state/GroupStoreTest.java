package dev.gopo.ranker.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.ranker.state.avro.GroupStatus;
import java.util.BitSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The decoded-state reuse of {@link GroupStore#state}: it may save a decode, never hand out state the store does not hold. */
@Timeout(30)
class GroupStoreTest {
    private KeyValueStore<Bytes, byte[]> groups;
    private KeyValueStore<Bytes, byte[]> deadlines;
    private GroupStore store;

    private static KeyValueStore<Bytes, byte[]> inMemory(String name, MockProcessorContext<?, ?> context) {
        KeyValueStore<Bytes, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        s.init(context.getStateStoreContext(), s);
        return s;
    }

    @BeforeEach
    void stores() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        groups = inMemory(GroupStore.GROUPS, context);
        deadlines = inMemory(GroupStore.DEADLINES, context);
        store = new GroupStore(groups, deadlines);
    }

    private static String describe(GroupState s) {
        return s.status() + " G=" + s.groupSize() + " completions=" + s.completions + " values=" + s.completionValues.keySet()
                + " rewards=" + s.externalRewards + " last=" + s.lastEventMs();
    }

    private static GroupState twoCompletions(GroupStore store) {
        GroupState s = GroupState.open(10, 1_000);
        s.groupSize(4);
        store.putPrompt(s, new byte[] {2, 0, 0});
        store.putCompletion(s, 0, new byte[] {2, 1}, true);
        store.putCompletion(s, 2, new byte[] {2, 3, 4}, false);
        s.observe(77);
        return s;
    }

    @Test
    void aGroupReadAfterItsWriteIsTheStateWrittenAndDecodesAlike() {
        GroupState written = twoCompletions(store);
        store.create("g", written);
        GroupState again = store.state("g");
        assertThat(store.reusedStates()).isEqualTo(1);
        // a store with nothing remembered decodes the same bytes into the same state
        GroupState decoded = new GroupStore(groups, deadlines).state("g");
        assertThat(describe(again)).isEqualTo(describe(decoded)).isEqualTo(describe(written));
    }

    @Test
    void aStateChangedButNotWrittenIsNotHandedOutAgain() {
        store.create("g", twoCompletions(store));
        GroupState read = store.state("g");
        store.putCompletion(read, 1, new byte[] {2, 9}, true); // e.g. a record rejected after this point: no write
        GroupState next = store.state("g");
        assertThat(next.hasCompletion(1)).isFalse();
        assertThat(next.completionCount()).isEqualTo(2);
    }

    @Test
    void bytesThatAreNotTheOnesWrittenAreDecoded() {
        store.create("g", twoCompletions(store));
        // another writer of the same key (a restore from the changelog, a rolled-back transaction's replay):
        // the entry now says something else than the state this store wrote
        GroupStore other = new GroupStore(groups, deadlines);
        GroupState theirs = other.state("g");
        other.putCompletion(theirs, 3, new byte[] {2, 5}, true);
        other.update("g", theirs);
        GroupState read = store.state("g");
        assertThat(read.hasCompletion(3)).isTrue();
        assertThat(store.reusedStates()).isZero();
    }

    @Test
    void closedAndForgottenGroupsAreNotRemembered() {
        store.create("g", twoCompletions(store));
        GroupState open = store.state("g");
        store.close("g", open, GroupStatus.EMITTED, 100, 200, new BitSet());
        GroupState marker = store.state("g");
        assertThat(marker.status()).isEqualTo(GroupStatus.EMITTED);
        assertThat(store.reusedStates()).isEqualTo(1); // only the open read
        store.forget("g", marker);
        assertThat(store.state("g")).isNull();
    }
}
