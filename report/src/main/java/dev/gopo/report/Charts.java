package dev.gopo.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's XChart charts: learning curves over steps (lines, translucent interval bands,
 * horizontal reference lines) and bar charts. Colours are fixed per estimator so GOPO has the same
 * colour on every chart of a study.
 */
final class Charts {
    static final int WIDTH = 760;
    static final int HEIGHT = 400;
    static final int SMALL_WIDTH = 560;
    static final int SMALL_HEIGHT = 320;
    /** Estimator colours, in {@link StudyIndex#ESTIMATOR_ORDER} (colour-blind safe, Okabe and Ito), then the rest. */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(86, 180, 233), new Color(213, 94, 0),
        new Color(0, 158, 115), new Color(204, 121, 167), new Color(230, 159, 0), new Color(0, 0, 0), new Color(240, 228, 66)};
    static final Color REFERENCE = new Color(120, 120, 120);
    private static final int BAND_ALPHA = 60;

    private Charts() {
    }

    /** The colour of the {@code index}-th series (an estimator's index in the study's estimator list). */
    static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** An empty line chart over optimiser steps, legend below the plot. */
    static XYChart curves(String title, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setXAxisDecimalPattern("#,##0");
        return chart;
    }

    /** Up to this many points a line marks each point; beyond, markers would hide the line. */
    private static final int MAX_MARKED_POINTS = 40;

    /** A solid line through {@code points}, with a marker at each when they are few; nothing when there are none. */
    static void line(XYChart chart, String name, SortedMap<Long, Double> points, Color color) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, steps(points), values(points));
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setMarker(points.size() <= MAX_MARKED_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    /** A dashed line, for the curve a solid one is compared with. */
    static void dashedLine(XYChart chart, String name, SortedMap<Long, Double> points, Color color) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, steps(points), values(points));
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(SeriesLines.DASH_DASH);
    }

    /**
     * A translucent band between {@code low} and {@code high} (same steps), drawn as one closed polygon:
     * along the upper bound left to right, back along the lower bound. Not in the legend; nothing when
     * there are fewer than two steps (a band of one step has no area).
     */
    static void band(XYChart chart, String name, SortedMap<Long, Double> low, SortedMap<Long, Double> high, Color color) {
        if (low.size() < 2 || !low.keySet().equals(high.keySet())) {
            return;
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map.Entry<Long, Double> p : high.entrySet()) {
            x.add(p.getKey().doubleValue());
            y.add(p.getValue());
        }
        List<Long> backwards = new ArrayList<>(low.keySet());
        for (int i = backwards.size() - 1; i >= 0; i--) {
            x.add(backwards.get(i).doubleValue());
            y.add(low.get(backwards.get(i)));
        }
        XYSeries series = chart.addSeries(name, x, y);
        Color fill = new Color(color.getRed(), color.getGreen(), color.getBlue(), BAND_ALPHA);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        series.setMarker(SeriesMarkers.NONE);
        series.setFillColor(fill);
        series.setLineColor(fill);
        series.setShowInLegend(false);
    }

    /** A dashed horizontal line at {@code y} from {@code from} to {@code to}, named in the legend. */
    static void horizontal(XYChart chart, String name, double y, long from, long to, Color color) {
        XYSeries series = chart.addSeries(name, new double[] {from, to == from ? from + 1 : to}, new double[] {y, y});
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(SeriesLines.DASH_DASH);
    }

    /** One bar per label. */
    static CategoryChart bars(String title, String xTitle, String yTitle, List<String> labels, List<Double> values, Color color) {
        CategoryChart chart = new CategoryChartBuilder().width(SMALL_WIDTH).height(SMALL_HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        chart.addSeries(yTitle, labels, values).setFillColor(color);
        return chart;
    }

    private static double[] steps(SortedMap<Long, Double> points) {
        return points.keySet().stream().mapToDouble(Long::doubleValue).toArray();
    }

    private static double[] values(SortedMap<Long, Double> points) {
        return points.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
