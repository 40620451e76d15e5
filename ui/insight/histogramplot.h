// SPDX-License-Identifier: GPL-3.0-or-later
// A compact painted histogram: the generation against the corpus (and the seed) for one feature.
#pragma once

#include "analysis/statistics.h"

#include <QColor>
#include <QWidget>

#include <vector>

namespace continuo::ui {

/// Draws one Feature's normalised histograms on the dark theme of the piano roll: the corpus as
/// grey bars, the generation as narrower orange bars in front of them and the seed as a blue step
/// line, with the feature's title, the Wasserstein-1 distances ("W₁ gen 0.82 · seed 1.33") and
/// sparse bin labels. Small enough for a dock about 360 px wide. GUI thread only.
class HistogramPlot : public QWidget
{
    Q_OBJECT
public:
    static const QColor kSeedColour; ///< #5b9cf0
    static const QColor kGenerationColour; ///< #f0983c
    static const QColor kCorpusColour; ///< grey
    static const QColor kBackground;

    explicit HistogramPlot(Feature feature, QWidget *parent = nullptr);

    Feature feature() const { return m_feature; }
    /// The series to draw, each normalised (fractions of 1) and binCount(feature()) long; an empty
    /// vector (or one of another length) is not drawn.
    void setSeries(std::vector<double> generation, std::vector<double> seed, std::vector<double> corpus);
    /// Wasserstein-1 distances to the corpus, in bins; NaN leaves one out of the caption.
    void setDistances(double generation, double seed);
    /// The caption under the title: "W₁ gen 0.82 · seed 1.33", or empty without distances.
    QString distanceText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Feature m_feature;
    std::vector<double> m_generation;
    std::vector<double> m_seed;
    std::vector<double> m_corpus;
    double m_generationDistance;
    double m_seedDistance;
};

} // namespace continuo::ui
