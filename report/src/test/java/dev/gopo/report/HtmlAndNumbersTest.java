package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HtmlAndNumbersTest {
    @Test
    void escapesEveryPieceOfText() {
        String html = new HtmlPage("a <b> & \"c\"").paragraph("x < y").table(List.of("k'"), List.of(List.of("<script>")))
                .image("a\".png", "alt <i>").render();
        assertThat(html).contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>", "<p>x &lt; y</p>", "<th>k&#39;</th>",
                "<td>&lt;script&gt;</td>", "<img src=\"a&quot;.png\" alt=\"alt &lt;i&gt;\">");
        assertThat(html).doesNotContain("<script>", "<b>");
    }

    @Test
    void numbersUseADotWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Numbers.format(0.5625)).isEqualTo("0.5625");
            assertThat(Numbers.format(-3.35)).isEqualTo("-3.3500");
            assertThat(Numbers.format(2650.25)).isEqualTo("2650.3");
            assertThat(Numbers.format(120)).isEqualTo("120");
            assertThat(Numbers.format(0.00042)).isEqualTo("0.000420");
            assertThat(Numbers.format(Double.NaN)).isEqualTo("n/a");
            assertThat(Numbers.interval(0.5, 0.25, 0.75)).isEqualTo("0.5000 [0.2500, 0.7500]");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void imageNamesAreSafeAndUnique() {
        assertThat(ImageFiles.slug("study-online-power:3-Summarise-validation reward"))
                .isEqualTo("study-online-power-3-summarise-validation-reward");
        assertThat(ImageFiles.slug("<>")).isEqualTo("chart");
    }
}
