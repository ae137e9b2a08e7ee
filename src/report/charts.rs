//! The report's charts, drawn with plotters as SVG (for the page) and PNG (for slides and mail),
//! with Chinese titles and labels.
//!
//! The PNGs draw their text with the bundled font (WenQuanYi Micro Hei, `assets/fonts/`),
//! compiled into the binary and registered with plotters' `ab_glyph` backend, so they never
//! depend on a system font and never show tofu boxes. The SVGs keep their text as text, naming
//! [`FONT_FAMILY`]: the bundled face first, then the CJK faces of common desktops.
//!
//! Each chart is a plain struct of the numbers it shows (built by `render` from the run folder's
//! tables) implementing [`Plot`], drawn the same way on both backends.

use crate::error::{Error, Result};
use crate::report::data::TIERS;
use crate::report::text::{self, Lang};
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::RangedCoordusize;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::OnceLock;

/// The bundled CJK font: Debian's `fonts-wqy-microhei`, a TrueType collection whose face 0 is
/// "WenQuanYi Micro Hei" (Apache-2.0; see `assets/fonts/README.md`).
pub static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// The family every chart text uses. The PNG backend finds the bundled font under this exact
/// name; an SVG viewer reads it as a CSS font list.
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, SimHei, sans-serif";

static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the bundled font with plotters (once per process); an error if it cannot be parsed.
pub fn ensure_font() -> Result<()> {
    let registered = *REGISTERED.get_or_init(|| {
        let family = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT).is_ok();
        // Plotters' own default ("sans-serif") resolves to the same face, so no text can fall
        // back to a font that is not there.
        let default = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok();
        family && default
    });
    if registered {
        Ok(())
    } else {
        Err(Error::invalid("the bundled font assets/fonts/wqy-microhei.ttc cannot be read as a TrueType font"))
    }
}

/// A text style in the chart family.
pub fn font(size: f64) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&BLACK)
}

/// The colour of a tier, the same in every chart and in the page's CSS.
pub fn tier_color(tier: &str) -> RGBColor {
    match tier {
        "A" => RGBColor(0x2e, 0x7d, 0x32),
        "B" => RGBColor(0x15, 0x65, 0xc0),
        "C" => RGBColor(0xf9, 0xa8, 0x25),
        "D" => RGBColor(0xc6, 0x28, 0x28),
        "X" => RGBColor(0x4a, 0x14, 0x8c),
        _ => RGBColor(0x9e, 0x9e, 0x9e),
    }
}

/// The hex colour of a tier for CSS.
pub fn tier_hex(tier: &str) -> String {
    let RGBColor(r, g, b) = tier_color(tier);
    format!("#{r:02x}{g:02x}{b:02x}")
}

const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const ACCENT: RGBColor = RGBColor(0x00, 0x69, 0x7c);
const EXPECTED: RGBColor = RGBColor(0xb0, 0xbe, 0xc5);

/// The result type of a drawing on backend `DB`.
pub type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart: its size and how to draw it on any backend.
pub trait Plot {
    fn size(&self) -> (u32, u32) {
        (960, 540)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

fn drawing_error<E: std::error::Error + Send + Sync>(what: &str, error: DrawingAreaErrorKind<E>) -> Error {
    Error::invalid(format!("drawing {what}: {error}"))
}

/// The chart as an SVG document.
pub fn svg<P: Plot>(plot: &P, what: &str) -> Result<String> {
    ensure_font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, plot.size()).into_drawing_area();
        plot.draw(&root).map_err(|e| drawing_error(what, e))?;
        root.present().map_err(|e| drawing_error(what, e))?;
    }
    Ok(out)
}

/// The chart drawn into an RGB buffer (width × height × 3 bytes).
pub fn rgb<P: Plot>(plot: &P, what: &str) -> Result<Vec<u8>> {
    ensure_font()?;
    let (width, height) = plot.size();
    let mut buffer = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        plot.draw(&root).map_err(|e| drawing_error(what, e))?;
        root.present().map_err(|e| drawing_error(what, e))?;
    }
    Ok(buffer)
}

/// Writes the chart as a PNG file.
pub fn png<P: Plot>(plot: &P, path: &Path, what: &str) -> Result<()> {
    ensure_font()?;
    let root = BitMapBackend::new(path, plot.size()).into_drawing_area();
    plot.draw(&root).map_err(|e| drawing_error(what, e))?;
    root.present().map_err(|e| drawing_error(what, e))?;
    Ok(())
}

/// Writes `charts/STEM.svg` and `charts/STEM.png`; returns the SVG text.
pub fn write<P: Plot>(plot: &P, charts: &Path, stem: &str) -> Result<String> {
    let svg_text = svg(plot, stem)?;
    let svg_path = charts.join(format!("{stem}.svg"));
    std::fs::write(&svg_path, &svg_text).map_err(|e| Error::io("writing a chart", &svg_path, e))?;
    png(plot, &charts.join(format!("{stem}.png")), stem)?;
    Ok(svg_text)
}

fn no_data<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, lang: Lang) -> DrawResult<DB> {
    let (width, height) = root.dim_in_pixel();
    root.draw(&Text::new(title.to_string(), (20, 16), font(22.0)))?;
    let message = lang.t("无数据", "no data").to_string();
    root.draw(&Text::new(message, (width as i32 / 2 - 30, height as i32 / 2), font(18.0).color(&INK)))?;
    Ok(())
}

/// The discrete range of `n` categories for a segmented axis: `0..=n-1`, so each category gets
/// one segment. Plotters cannot map a one-value range, so a single category gets a second,
/// empty segment.
fn segments(n: usize) -> std::ops::Range<usize> {
    0..n.max(2) - 1
}

fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if max <= step * magnitude {
            return step * magnitude;
        }
    }
    max
}

/// How [`stacked_tiers`] draws its bars.
struct StackedBars {
    /// Pixels left and right of each bar inside its segment.
    margin: u32,
    /// Half the side of a legend square.
    swatch: i32,
    /// Leave tiers nobody is in out of the legend.
    skip_empty_tiers: bool,
}

/// Per-segment tier counts (in [`TIERS`] order) as bars stacked from the lowest tier up, one
/// legend entry per tier.
fn stacked_tiers<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<SegmentedCoord<RangedCoordusize>, RangedCoordusize>>,
    counts: &[[usize; 6]],
    lang: Lang,
    bars: StackedBars,
) -> DrawResult<DB> {
    let swatch = bars.swatch;
    for (t, tier) in TIERS.iter().enumerate() {
        let color = tier_color(tier);
        if bars.skip_empty_tiers && counts.iter().all(|c| c[t] == 0) {
            continue;
        }
        chart
            .draw_series(counts.iter().enumerate().filter(|(_, c)| c[t] > 0).map(|(i, c)| {
                let base: usize = c[..t].iter().sum();
                let mut bar = Rectangle::new([(SegmentValue::Exact(i), base), (SegmentValue::Exact(i + 1), base + c[t])], color.filled());
                bar.set_margin(0, 0, bars.margin, bars.margin);
                bar
            }))?
            .label(text::tier_name(lang, tier))
            .legend(move |(x, y)| Rectangle::new([(x, y - swatch), (x + 2 * swatch, y + swatch)], color.filled()));
    }
    Ok(())
}

/// Institutions per tier in each district, stacked.
pub struct TiersByDistrict {
    pub lang: Lang,
    pub title: String,
    pub districts: Vec<String>,
    /// Per district, counts in [`TIERS`] order.
    pub counts: Vec<[usize; 6]>,
}

impl Plot for TiersByDistrict {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.districts.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let n = self.districts.len();
        let max = self.counts.iter().map(|c| c.iter().sum::<usize>()).max().unwrap_or(0);
        let top = (nice_max(max as f64 * 1.25) as usize).max(1);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(22.0))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(segments(n).into_segmented(), 0usize..top)?;
        let names = &self.districts;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(self.lang.t("机构数", "institutions"))
            .label_style(font(14.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        stacked_tiers(&mut chart, &self.counts, self.lang, StackedBars { margin: 8, swatch: 6, skip_empty_tiers: true })?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(INK)
            .label_font(font(14.0))
            .draw()?;
        Ok(())
    }
}

/// Scores in 5-point bins with the tier cut-offs.
pub struct ScoreDistribution {
    pub lang: Lang,
    pub title: String,
    pub scores: Vec<f64>,
    /// (C, B, A) cut-offs.
    pub cutoffs: (f64, f64, f64),
}

impl ScoreDistribution {
    /// Counts per 5-point bin: [0,5), [5,10) … [95,100].
    pub fn bins(&self) -> [usize; 20] {
        let mut bins = [0usize; 20];
        for score in &self.scores {
            let index = ((score / 5.0).floor() as usize).min(19);
            bins[index] += 1;
        }
        bins
    }
}

impl Plot for ScoreDistribution {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.scores.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let bins = self.bins();
        let top = nice_max(*bins.iter().max().unwrap_or(&1) as f64 * 1.2).max(1.0);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(22.0))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..100f64, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(11)
            .y_labels(6)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_desc(self.lang.t("得分", "score"))
            .y_desc(self.lang.t("机构数", "institutions"))
            .label_style(font(14.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        let (c, b, a) = self.cutoffs;
        let tier_of = |low: f64| {
            if low >= a {
                "A"
            } else if low >= b {
                "B"
            } else if low >= c {
                "C"
            } else {
                "D"
            }
        };
        chart.draw_series(bins.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| {
            let low = i as f64 * 5.0;
            let color = tier_color(tier_of(low));
            let mut bar = Rectangle::new([(low, 0.0), (low + 5.0, *n as f64)], color.mix(0.85).filled());
            bar.set_margin(0, 0, 1, 1);
            bar
        }))?;
        for (value, tier) in [(c, "C"), (b, "B"), (a, "A")] {
            chart.draw_series(DashedLineSeries::new(vec![(value, 0.0), (value, top)], 8, 5, INK.stroke_width(2)))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("{tier} ≥ {value:.0}"),
                (value + 0.6, top * 0.96),
                font(14.0).color(&INK),
            )))?;
        }
        Ok(())
    }
}

/// Pass rate against employment rate, one dot per institution coloured by tier.
pub struct PassVsEmployment {
    pub lang: Lang,
    pub title: String,
    /// (pass rate, employment rate, tier).
    pub points: Vec<(f64, f64, String)>,
    /// Floors of the two indicators (dashed lines).
    pub floors: (f64, f64),
}

impl Plot for PassVsEmployment {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.points.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(22.0))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..1.0f64, 0f64..1.0f64)?;
        chart
            .configure_mesh()
            .x_labels(11)
            .y_labels(11)
            .x_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .x_desc(self.lang.t("取证率", "pass rate"))
            .y_desc(self.lang.t("就业率", "employment rate"))
            .label_style(font(14.0))
            .axis_desc_style(font(14.0))
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .draw()?;
        let (pass_floor, employment_floor) = self.floors;
        chart.draw_series(DashedLineSeries::new(vec![(pass_floor, 0.0), (pass_floor, 1.0)], 6, 5, EXPECTED.stroke_width(2)))?;
        chart.draw_series(DashedLineSeries::new(vec![(0.0, employment_floor), (1.0, employment_floor)], 6, 5, EXPECTED.stroke_width(2)))?;
        for tier in TIERS {
            let color = tier_color(tier);
            let points: Vec<(f64, f64)> = self.points.iter().filter(|p| p.2 == tier).map(|p| (p.0, p.1)).collect();
            if points.is_empty() {
                continue;
            }
            chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 5, color.mix(0.8).filled())))?
                .label(text::tier_name(self.lang, tier))
                .legend(move |(x, y)| Circle::new((x + 6, y), 5, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(INK)
            .label_font(font(14.0))
            .draw()?;
        Ok(())
    }
}

/// One lead's first digits.
#[derive(Debug, Clone)]
pub struct BenfordPanel {
    pub label: String,
    /// Observed counts of first digits 1–9.
    pub observed: [i64; 9],
    /// Expected shares of digits 1–9.
    pub expected: [f64; 9],
}

impl BenfordPanel {
    pub fn total(&self) -> i64 {
        self.observed.iter().sum()
    }

    pub fn observed_share(&self, digit: usize) -> f64 {
        let total = self.total();
        if total == 0 {
            0.0
        } else {
            self.observed[digit] as f64 / total as f64
        }
    }
}

/// First digits of claim amounts, observed against Benford's expected shares, for the top leads.
pub struct Benford {
    pub lang: Lang,
    pub title: String,
    pub panels: Vec<BenfordPanel>,
}

impl Plot for Benford {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(2).max(1) as u32;
        (960, 70 + 300 * rows)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.panels.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let body = root.titled(&self.title, font(22.0))?;
        let rows = self.panels.len().div_ceil(2);
        let areas = body.split_evenly((rows, 2));
        for (panel, area) in self.panels.iter().zip(areas.iter()) {
            let top = (0..9).map(|d| panel.observed_share(d).max(panel.expected[d])).fold(0.0, f64::max);
            let top = (top * 1.2).clamp(0.05, 1.0);
            let mut chart = ChartBuilder::on(area)
                .caption(format!("{} (n = {})", panel.label, panel.total()), font(15.0))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(48)
                .build_cartesian_2d((1usize..9usize).into_segmented(), 0f64..top)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(9)
                .y_labels(5)
                .x_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(d) => d.to_string(),
                    _ => String::new(),
                })
                .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
                .label_style(font(12.0))
                .draw()?;
            chart
                .draw_series((0..9).map(|d| {
                    let mut bar = Rectangle::new(
                        [(SegmentValue::Exact(d + 1), 0.0), (SegmentValue::Exact(d + 2), panel.observed_share(d))],
                        ACCENT.filled(),
                    );
                    bar.set_margin(0, 0, 6, 6);
                    bar
                }))?
                .label(self.lang.t("实际", "observed"))
                .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], ACCENT.filled()));
            chart
                .draw_series(LineSeries::new((0..9).map(|d| (SegmentValue::CenterOf(d + 1), panel.expected[d])), INK.stroke_width(2)))?
                .label(self.lang.t("本福特期望", "Benford expected"))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], INK.stroke_width(2)));
            chart.draw_series((0..9).map(|d| Circle::new((SegmentValue::CenterOf(d + 1), panel.expected[d]), 3, INK.filled())))?;
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.9))
                .border_style(INK)
                .label_font(font(12.0))
                .draw()?;
        }
        Ok(())
    }
}

/// An axis label in yuan: 万 (ten thousands) in Chinese, k/M in English, when the axis is long.
fn axis_yuan(lang: Lang, value: f64, axis_max: f64) -> String {
    let trim = |v: f64| {
        let text = format!("{v:.1}");
        text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
    };
    match lang {
        Lang::Zh if axis_max >= 100_000.0 => format!("{}万", trim(value / 10_000.0)),
        Lang::En if axis_max >= 2_000_000.0 => format!("{}M", trim(value / 1_000_000.0)),
        Lang::En if axis_max >= 10_000.0 => format!("{}k", trim(value / 1_000.0)),
        _ => format!("{value:.0}"),
    }
}

/// Money at stake per rule (horizontal bars, largest first, each labelled with its amount).
///
/// One rule often holds nearly all the money (claims during a ban, a disqualified institution's
/// whole volume): on one scale every other bar is a sliver that reads as nothing. When the
/// largest amount is more than [`DOMINANT_RATIO`] times the next, a second panel below shows the
/// other rules on their own scale, so each amount stays readable; both panels label every bar
/// with its money.
pub struct MoneyByRule {
    pub lang: Lang,
    pub title: String,
    /// (label, fen), in any order: drawn largest first.
    pub rows: Vec<(String, i64)>,
}

/// How many times the next amount the largest may be before the others get a panel of their own.
pub const DOMINANT_RATIO: i64 = 10;

/// Pixels of a panel of `n` bars.
fn money_panel_height(n: usize) -> u32 {
    (120 + 36 * n as u32).max(300)
}

impl MoneyByRule {
    /// The rows largest first (ties by label).
    fn sorted(&self) -> Vec<(String, i64)> {
        let mut rows = self.rows.clone();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        rows
    }

    /// Whether the largest amount dwarfs the others: then they get a second panel.
    pub fn dominated(&self) -> bool {
        let rows = self.sorted();
        rows.len() >= 2 && rows[0].1 > DOMINANT_RATIO.saturating_mul(rows[1].1)
    }
}

impl Plot for MoneyByRule {
    fn size(&self) -> (u32, u32) {
        let n = self.rows.len();
        let zoom = if self.dominated() { money_panel_height(n - 1) } else { 0 };
        (960, money_panel_height(n) + zoom)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.rows.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let rows = self.sorted();
        if !self.dominated() {
            return money_bars(root, &self.title, &rows, self.lang);
        }
        let (all, rest) = root.split_vertically(money_panel_height(rows.len()));
        money_bars(&all, &self.title, &rows, self.lang)?;
        let (largest, share) = (&rows[0].0, rows[0].1 as f64 / rows.iter().map(|r| r.1 as f64).sum::<f64>() * 100.0);
        let caption = match self.lang {
            Lang::Zh => format!("其余规则（另行缩放；{largest} 占 {share:.1}%）"),
            Lang::En => format!("The other rules on their own scale ({largest} holds {share:.1}%)"),
        };
        money_bars(&rest, &caption, &rows[1..], self.lang)
    }
}

/// Horizontal money bars of `rows` (top first) on one scale, each labelled with its amount.
fn money_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, caption: &str, rows: &[(String, i64)], lang: Lang) -> DrawResult<DB> {
    let n = rows.len();
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0) as f64 / 100.0;
    let right = nice_max(max * 1.3);
    let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(caption, font(20.0))
        .margin(16)
        .margin_right(48)
        .x_label_area_size(44)
        .y_label_area_size(190)
        .build_cartesian_2d(0f64..right, segments(n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .x_labels(6)
        .y_label_formatter(&|v| match v {
            // Top row first: segment i shows row n-1-i.
            SegmentValue::CenterOf(i) if *i < n => labels[n - 1 - *i].clone(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| axis_yuan(lang, *v, right))
        .x_desc(lang.t("金额（元）", "amount (yuan)"))
        .label_style(font(14.0))
        .axis_desc_style(font(14.0))
        .draw()?;
    chart.draw_series(rows.iter().enumerate().map(|(row, (_, fen))| {
        let i = n - 1 - row;
        let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(i)), (*fen as f64 / 100.0, SegmentValue::Exact(i + 1))], ACCENT.filled());
        bar.set_margin(6, 6, 0, 0);
        bar
    }))?;
    chart.draw_series(rows.iter().enumerate().map(|(row, (_, fen))| {
        let i = n - 1 - row;
        Text::new(format!(" {}", text::money(lang, *fen)), (*fen as f64 / 100.0, SegmentValue::CenterOf(i)), font(13.0).color(&INK))
    }))?;
    Ok(())
}

/// Institutions per tier and the median score, quarter by quarter.
pub struct Trend {
    pub lang: Lang,
    pub title: String,
    pub quarters: Vec<String>,
    /// Per quarter, counts in [`TIERS`] order.
    pub counts: Vec<[usize; 6]>,
    pub median_scores: Vec<Option<f64>>,
    pub cutoffs: (f64, f64, f64),
}

impl Plot for Trend {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.quarters.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let body = root.titled(&self.title, font(22.0))?;
        let (left, right) = body.split_horizontally(body.dim_in_pixel().0 * 55 / 100);
        let n = self.quarters.len();
        let quarters = &self.quarters;
        let label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => quarters.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        let max = self.counts.iter().map(|c| c.iter().sum::<usize>()).max().unwrap_or(0);
        // Room above the bars for the legend.
        let top = (nice_max(max as f64 * 1.8) as usize).max(1);
        let mut chart = ChartBuilder::on(&left)
            .caption(self.lang.t("各等级机构数", "institutions per tier"), font(16.0))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(segments(n).into_segmented(), 0usize..top)?;
        chart.configure_mesh().disable_x_mesh().x_labels(n).x_label_formatter(&label).label_style(font(13.0)).draw()?;
        stacked_tiers(&mut chart, &self.counts, self.lang, StackedBars { margin: 10, swatch: 5, skip_empty_tiers: false })?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperMiddle)
            .background_style(WHITE.mix(0.9))
            .border_style(INK)
            .label_font(font(12.0))
            .draw()?;

        let mut chart = ChartBuilder::on(&right)
            .caption(self.lang.t("得分中位数", "median score"), font(16.0))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(segments(n).into_segmented(), 0f64..100f64)?;
        chart.configure_mesh().disable_x_mesh().x_labels(n).x_label_formatter(&label).y_labels(6).label_style(font(13.0)).draw()?;
        let (c, b, a) = self.cutoffs;
        for (value, tier) in [(c, "C"), (b, "B"), (a, "A")] {
            chart.draw_series(DashedLineSeries::new(
                vec![(SegmentValue::Exact(0), value), (SegmentValue::Last, value)],
                6,
                5,
                tier_color(tier).stroke_width(1),
            ))?;
        }
        let points: Vec<(SegmentValue<usize>, f64)> =
            self.median_scores.iter().enumerate().filter_map(|(i, s)| s.map(|s| (SegmentValue::CenterOf(i), s))).collect();
        chart.draw_series(LineSeries::new(points.clone(), ACCENT.stroke_width(3)))?;
        chart.draw_series(points.iter().map(|p| Circle::new(p.clone(), 5, ACCENT.filled())))?;
        chart.draw_series(points.iter().map(|(q, s)| Text::new(format!("{s:.1}"), (q.clone(), s + 8.0), font(13.0).color(&INK))))?;
        Ok(())
    }
}

/// Tier migration from one quarter to the next: counts of institutions per (from, to).
pub struct Migration {
    pub lang: Lang,
    pub title: String,
    pub from_quarter: String,
    pub to_quarter: String,
    /// `matrix[from][to]` in [`TIERS`] order.
    pub matrix: [[usize; 6]; 6],
}

impl Plot for Migration {
    fn size(&self) -> (u32, u32) {
        (760, 620)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let max = self.matrix.iter().flatten().copied().max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(22.0))
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(110)
            .build_cartesian_2d((0..5usize).into_segmented(), (0..5usize).into_segmented())?;
        let lang = self.lang;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < 6 => text::tier_name(lang, TIERS[*i]),
                _ => String::new(),
            })
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < 6 => text::tier_name(lang, TIERS[5 - *i]),
                _ => String::new(),
            })
            .x_desc(format!("{} {}", self.to_quarter, self.lang.t("等级（本季度）", "tier (this quarter)")))
            .y_desc(format!("{} {}", self.from_quarter, self.lang.t("等级（上季度）", "tier (before)")))
            .label_style(font(13.0))
            .axis_desc_style(font(14.0))
            .draw()?;
        let mut cells = Vec::new();
        let mut labels = Vec::new();
        for from in 0..6 {
            for to in 0..6 {
                let count = self.matrix[from][to];
                let y = 5 - from;
                let shade = if count == 0 { 0.0 } else { 0.15 + 0.85 * count as f64 / max as f64 };
                let color = if from == to {
                    RGBColor(0x60, 0x7d, 0x8b)
                } else if better(to, from) {
                    tier_color("A")
                } else {
                    tier_color("D")
                };
                let mut cell = Rectangle::new(
                    [(SegmentValue::Exact(to), SegmentValue::Exact(y)), (SegmentValue::Exact(to + 1), SegmentValue::Exact(y + 1))],
                    if count == 0 { RGBColor(0xfa, 0xfa, 0xfa).filled() } else { color.mix(shade).filled() },
                );
                cell.set_margin(2, 2, 2, 2);
                cells.push(cell);
                let ink: &'static RGBColor = if shade > 0.55 { &WHITE } else { &BLACK };
                labels.push(Text::new(count.to_string(), (SegmentValue::CenterOf(to), SegmentValue::CenterOf(y)), font(16.0).color(ink)));
            }
        }
        chart.draw_series(cells)?;
        chart.draw_series(labels)?;
        Ok(())
    }
}

/// Whether tier index `to` is better than `from` (N, not rated, is neither).
fn better(to: usize, from: usize) -> bool {
    match (crate::report::data::tier_rank(TIERS[to]), crate::report::data::tier_rank(TIERS[from])) {
        (Some(to), Some(from)) => to > from,
        _ => false,
    }
}

/// One indicator row of a profile: label, value, peer median, floor, target.
pub type IndicatorRow = (String, Option<f64>, Option<f64>, f64, f64);

/// One institution's indicators against its peers' medians, floors and targets (scorecards).
pub struct IndicatorProfile {
    pub lang: Lang,
    pub title: String,
    pub rows: Vec<IndicatorRow>,
}

impl Plot for IndicatorProfile {
    fn size(&self) -> (u32, u32) {
        (760, 120 + 44 * self.rows.len() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let n = self.rows.len().max(1);
        let labels: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(18.0))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..1.0f64, segments(n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .x_labels(11)
            .x_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < labels.len() => labels[labels.len() - 1 - *i].clone(),
                _ => String::new(),
            })
            .label_style(font(13.0))
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .draw()?;
        let rows = self.rows.len();
        for (row, (_, value, median, floor, target)) in self.rows.iter().enumerate() {
            let i = rows - 1 - row;
            // The band between floor and target, where points are earned.
            let mut band = Rectangle::new(
                [(*floor, SegmentValue::Exact(i)), (*target, SegmentValue::Exact(i + 1))],
                RGBColor(0xe3, 0xf2, 0xfd).filled(),
            );
            band.set_margin(4, 4, 0, 0);
            chart.draw_series(std::iter::once(band))?;
            if let Some(value) = value {
                let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(i)), (*value, SegmentValue::Exact(i + 1))], ACCENT.filled());
                bar.set_margin(12, 12, 0, 0);
                chart.draw_series(std::iter::once(bar))?;
            }
            if let Some(median) = median {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(*median, SegmentValue::Exact(i)), (*median, SegmentValue::Exact(i + 1))],
                    BLACK.stroke_width(3),
                )))?;
            }
        }
        Ok(())
    }
}

/// One institution's score over the quarters of history, with the cut-offs (scorecards).
pub struct ScoreTrend {
    pub lang: Lang,
    pub title: String,
    pub quarters: Vec<String>,
    pub scores: Vec<Option<f64>>,
    pub tiers: Vec<String>,
    pub cutoffs: (f64, f64, f64),
}

impl Plot for ScoreTrend {
    fn size(&self) -> (u32, u32) {
        (760, 320)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        if self.quarters.is_empty() {
            return no_data(root, &self.title, self.lang);
        }
        let n = self.quarters.len();
        let quarters = &self.quarters;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(18.0))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(44)
            .build_cartesian_2d(segments(n).into_segmented(), 0f64..100f64)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => quarters.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(font(13.0))
            .draw()?;
        let (c, b, a) = self.cutoffs;
        for (value, tier) in [(c, "C"), (b, "B"), (a, "A")] {
            chart.draw_series(DashedLineSeries::new(
                vec![(SegmentValue::Exact(0), value), (SegmentValue::Last, value)],
                6,
                5,
                tier_color(tier).stroke_width(1),
            ))?;
        }
        let points: Vec<(SegmentValue<usize>, f64, String)> = self
            .scores
            .iter()
            .zip(&self.tiers)
            .enumerate()
            .filter_map(|(i, (s, t))| s.map(|s| (SegmentValue::CenterOf(i), s, t.clone())))
            .collect();
        chart.draw_series(LineSeries::new(points.iter().map(|p| (p.0.clone(), p.1)), ACCENT.stroke_width(2)))?;
        chart.draw_series(points.iter().map(|p| Circle::new((p.0.clone(), p.1), 6, tier_color(&p.2).filled())))?;
        chart.draw_series(
            points.iter().map(|p| Text::new(format!("{} {:.1}", p.2, p.1), (p.0.clone(), (p.1 + 10.0).min(99.0)), font(13.0).color(&INK))),
        )?;
        Ok(())
    }
}

/// A line of text drawn alone with the chart font on a white canvas (`size` pixels high), for
/// checking that labels draw real glyphs: returns the RGB pixels, `width × height × 3`.
pub fn label_pixels(label: &str, width: u32, height: u32) -> Result<Vec<u8>> {
    struct Label<'a>(&'a str, u32, u32);
    impl Plot for Label<'_> {
        fn size(&self) -> (u32, u32) {
            (self.1, self.2)
        }
        fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
            root.fill(&WHITE)?;
            root.draw(&Text::new(self.0.to_string(), (4, 4), font(self.2 as f64 * 0.7)))?;
            Ok(())
        }
    }
    rgb(&Label(label, width, height), "a label")
}

/// Whether `ch` draws as the font's "missing glyph" (tofu or nothing) with the chart font:
/// it is drawn alone and compared with a private-use character no font maps.
pub fn draws_as_missing(ch: char) -> Result<bool> {
    let drawn = label_pixels(&ch.to_string(), 48, 48)?;
    let missing = label_pixels("\u{E000}", 48, 48)?;
    Ok(drawn == missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many times `text` is a text element of `svg` (plotters writes `>\nTEXT\n</text>`).
    fn shown(svg: &str, text: &str) -> usize {
        svg.matches(&format!(">\n{text}\n</text>")).count()
    }

    /// Every rule's label and amount are in the SVG, the small ones on a scale of their own.
    #[test]
    fn a_rule_holding_99_percent_of_the_money_leaves_the_others_readable() {
        let rows = vec![
            ("P03 同一时段重复签到".to_string(), 12_345),
            ("R10 受处罚期间申领".to_string(), 99_000_000),
            ("R05 未结业".to_string(), 600_000),
            ("R06 出勤不足".to_string(), 300_000),
        ];
        let plot = MoneyByRule { lang: Lang::Zh, title: "各规则涉险金额 2026Q3".into(), rows: rows.clone() };
        assert!(plot.dominated());
        // Four bars (120 + 4 × 36 = 264, at least 300), then the three others on a panel as high.
        assert_eq!(plot.size(), (960, 300 + 300));
        let svg = svg(&plot, "money").unwrap();
        for (label, amount) in [
            ("R10 受处罚期间申领", " 990,000.00 元"),
            ("R05 未结业", " 6,000.00 元"),
            ("R06 出勤不足", " 3,000.00 元"),
            ("P03 同一时段重复签到", " 123.45 元"),
        ] {
            // The small rules are drawn twice: on the common scale and on their own.
            assert_eq!(shown(&svg, label), if label.starts_with("R10") { 1 } else { 2 }, "{label}");
            assert_eq!(shown(&svg, amount), if label.starts_with("R10") { 1 } else { 2 }, "{amount}");
        }
        assert_eq!(shown(&svg, "其余规则（另行缩放；R10 受处罚期间申领 占 99.1%）"), 1);
        let english = MoneyByRule { lang: Lang::En, title: "Money at stake by rule".into(), rows: rows.clone() };
        let svg = super::svg(&english, "money").unwrap();
        assert_eq!(shown(&svg, "The other rules on their own scale (R10 受处罚期间申领 holds 99.1%)"), 1);
        assert_eq!(shown(&svg, " ¥123.45"), 2);

        // Largest first, whatever order the rows come in; no second panel when nothing dominates.
        let even = MoneyByRule { lang: Lang::Zh, title: "t".into(), rows: vec![("R05".into(), 100), ("R06".into(), 1_000)] };
        assert!(!even.dominated());
        assert_eq!(even.sorted(), vec![("R06".to_string(), 1_000), ("R05".to_string(), 100)]);
        assert_eq!(even.size(), (960, 300));
    }
}
