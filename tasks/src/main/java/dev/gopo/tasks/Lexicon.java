package dev.gopo.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in word list shared by the tasks: common lowercase English nouns of 3 to 6 letters,
 * at least four of at most four letters for every initial in {@link #INITIALS}. It stands in for
 * "real words" so that a gold judge can tell a word from a random string without a dictionary
 * download. Immutable.
 */
public final class Lexicon {

    /** Initials the constrained task asks for: each has enough short words for every constraint. */
    public static final String INITIALS = "abcdfghlmnprstw";

    private static final String WORDS = String.join(" ",
            "ant arm art ape axe able acid aunt apple angle arrow actor answer animal",
            "bag bat bed bee box boy bus bell bird boat bone book bread brick brush bottle branch butter",
            "cap car cat cow cup cake coat corn crab chair chalk cloud clock candle carpet cherry",
            "dad day dog dot duck desk door drum daisy dance dream dinner doctor dragon",
            "fan fig fin fox farm fish flag frog fence field flame forest flower friend",
            "gas gem gum gap game gate goat gold grape grass guard garden ginger guitar",
            "hat hen hog hut hand harp hill home horse house heart hammer helmet honey",
            "lab leg lid log lake lamp leaf lion lemon light lunch ladder letter lizard",
            "map mat mop mud mask milk moon mouse melon money magnet market mirror",
            "nap net nut nose nail neck nest night noise nurse needle number napkin",
            "pan pen pig pot park pear pink pool paint pearl piano pencil pepper pillow",
            "rag rat rod rug rain ring road rock river robot rocket rabbit ribbon",
            "sea sun sky sock salt seed ship star snake spoon stone summer sister silver",
            "tap tea toe toy tent tree tail town table tiger train turtle ticket tomato",
            "web wig war wax wall wind wolf worm water whale wheel window winter wallet");

    private static final List<String> ALL = List.copyOf(new LinkedHashSet<>(List.of(WORDS.split(" "))));
    private static final Set<String> SET = Set.copyOf(ALL);

    private Lexicon() {}

    /** Every word, in a fixed order (grouped by initial). */
    public static List<String> words() {
        return ALL;
    }

    /** True when {@code word} is in the lexicon (exact, lowercase). */
    public static boolean contains(String word) {
        return SET.contains(word);
    }

    /** Words of length {@code minLength..maxLength}, in lexicon order. */
    public static List<String> wordsOfLength(int minLength, int maxLength) {
        List<String> out = new ArrayList<>();
        for (String w : ALL) {
            if (w.length() >= minLength && w.length() <= maxLength) {
                out.add(w);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Words starting with {@code initial} of at most {@code maxLength} letters, in lexicon order. */
    public static List<String> wordsStartingWith(char initial, int maxLength) {
        List<String> out = new ArrayList<>();
        for (String w : ALL) {
            if (w.charAt(0) == initial && w.length() <= maxLength) {
                out.add(w);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
