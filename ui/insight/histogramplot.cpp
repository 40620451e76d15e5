// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/insight/histogramplot.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo::ui {

const QColor HistogramPlot::kSeedColour(0x5b, 0x9c, 0xf0);
const QColor HistogramPlot::kGenerationColour(0xf0, 0x98, 0x3c);
const QColor HistogramPlot::kCorpusColour(0x8a, 0x8f, 0x99);
const QColor HistogramPlot::kBackground(0x1f, 0x21, 0x25);

namespace {

const QColor kTitleText(0xe6, 0xe8, 0xec);
const QColor kCaptionText(0xa9, 0xae, 0xb8);
const QColor kAxisText(0x8c, 0x91, 0x9b);
const QColor kGridLine(0x31, 0x34, 0x3b);
constexpr int kMargin = 6;
constexpr int kPlotHeight = 64;

bool fits(const std::vector<double> &series, std::size_t bins) { return series.size() == bins; }

} // namespace

HistogramPlot::HistogramPlot(Feature feature, QWidget *parent)
    : QWidget(parent)
    , m_feature(feature)
    , m_generationDistance(std::numeric_limits<double>::quiet_NaN())
    , m_seedDistance(std::numeric_limits<double>::quiet_NaN())
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void HistogramPlot::setSeries(std::vector<double> generation, std::vector<double> seed,
                              std::vector<double> corpus)
{
    m_generation = std::move(generation);
    m_seed = std::move(seed);
    m_corpus = std::move(corpus);
    update();
}

void HistogramPlot::setDistances(double generation, double seed)
{
    m_generationDistance = generation;
    m_seedDistance = seed;
    update();
}

QString HistogramPlot::distanceText() const
{
    QStringList parts;
    if (std::isfinite(m_generationDistance))
        parts << tr("gen %1").arg(m_generationDistance, 0, 'f', 2);
    if (std::isfinite(m_seedDistance))
        parts << tr("seed %1").arg(m_seedDistance, 0, 'f', 2);
    return parts.isEmpty() ? QString() : QStringLiteral("W\u2081 ") + parts.join(QStringLiteral(" \u00b7 "));
}

QSize HistogramPlot::sizeHint() const { return { 340, minimumSizeHint().height() }; }

QSize HistogramPlot::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    return { 220, 2 * kMargin + 2 * metrics.height() + kPlotHeight + metrics.height() };
}

void HistogramPlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    const QFontMetrics metrics(font());
    const std::size_t bins = binCount(m_feature);

    // Title on the left, distances on the right of the same line when they fit, else below.
    QFont titleFont = font();
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.setPen(kTitleText);
    const QString title = QString::fromUtf8(featureTitle(m_feature));
    const int titleWidth = QFontMetrics(titleFont).horizontalAdvance(title);
    int y = kMargin;
    p.drawText(QRect(kMargin, y, width() - 2 * kMargin, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
               title);
    p.setFont(font());
    p.setPen(kCaptionText);
    const QString caption = distanceText();
    const int captionWidth = metrics.horizontalAdvance(caption);
    if (!caption.isEmpty() && titleWidth + captionWidth + 3 * kMargin <= width()) {
        p.drawText(QRect(kMargin, y, width() - 2 * kMargin, metrics.height()),
                   Qt::AlignRight | Qt::AlignVCenter, caption);
        y += metrics.height();
    } else {
        y += metrics.height();
        p.drawText(QRect(kMargin, y, width() - 2 * kMargin, metrics.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, caption);
    }
    y += metrics.height() / 2 + 2;

    const QRectF plot(kMargin, y, width() - 2 * kMargin, kPlotHeight);
    p.setPen(kGridLine);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(QPointF(plot.left(), plot.center().y()), QPointF(plot.right(), plot.center().y()));

    double top = 0.0;
    for (const auto *series : { &m_generation, &m_seed, &m_corpus })
        if (fits(*series, bins))
            top = std::max(top, *std::max_element(series->begin(), series->end()));
    if (top <= 0.0)
        top = 1.0;
    const double binWidth = plot.width() / double(bins);
    const auto barTop = [&](double value) { return plot.bottom() - plot.height() * value / top; };

    p.setPen(Qt::NoPen);
    if (fits(m_corpus, bins)) {
        QColor fill = kCorpusColour;
        fill.setAlpha(110);
        for (std::size_t b = 0; b < bins; ++b)
            p.fillRect(QRectF(QPointF(plot.left() + b * binWidth + 0.5, barTop(m_corpus[b])),
                              QPointF(plot.left() + (b + 1) * binWidth - 0.5, plot.bottom())),
                       fill);
    }
    if (fits(m_generation, bins)) {
        const double inset = binWidth * 0.25;
        for (std::size_t b = 0; b < bins; ++b)
            p.fillRect(QRectF(QPointF(plot.left() + b * binWidth + inset, barTop(m_generation[b])),
                              QPointF(plot.left() + (b + 1) * binWidth - inset, plot.bottom())),
                       kGenerationColour);
    }
    if (fits(m_seed, bins)) {
        QPainterPath step;
        step.moveTo(plot.left(), plot.bottom());
        for (std::size_t b = 0; b < bins; ++b) {
            step.lineTo(plot.left() + b * binWidth, barTop(m_seed[b]));
            step.lineTo(plot.left() + (b + 1) * binWidth, barTop(m_seed[b]));
        }
        step.lineTo(plot.right(), plot.bottom());
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(kSeedColour, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawPath(step);
        p.setRenderHint(QPainter::Antialiasing, false);
    }

    // Sparse labels: every k-th bin, k chosen so that the widest label fits with a gap.
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
    p.setFont(small);
    p.setPen(kAxisText);
    const QFontMetrics smallMetrics(small);
    int widest = 0;
    for (std::size_t b = 0; b < bins; ++b)
        widest =
            std::max(widest, smallMetrics.horizontalAdvance(QString::fromStdString(binLabel(m_feature, b))));
    const std::size_t step = std::max<std::size_t>(1, std::size_t(std::ceil((widest + 6) / binWidth)));
    // Centred on the middle bin for symmetric axes (intervals: -12..+12 shows 0).
    const std::size_t first = (bins / 2) % step;
    for (std::size_t b = first; b < bins; b += step) {
        const double centre = plot.left() + (b + 0.5) * binWidth;
        const QString label = QString::fromStdString(binLabel(m_feature, b));
        p.drawText(QRectF(centre - 40, plot.bottom() + 2, 80, smallMetrics.height()),
                   Qt::AlignHCenter | Qt::AlignTop, label);
    }
}

} // namespace continuo::ui
