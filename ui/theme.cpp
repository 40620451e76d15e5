// SPDX-License-Identifier: GPL-3.0-or-later
// The app's look: Fusion with a dark palette in the piano roll's colours.
#include "ui/theme.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QStyleFactory>

namespace continuo::ui {

QPalette darkPalette()
{
    const QColor window(0x26, 0x29, 0x2e), base(0x1c, 0x1e, 0x22), text(0xe3, 0xe5, 0xe8);
    const QColor accent(0x4a, 0x90, 0xd9), disabled(0x7c, 0x80, 0x87);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window.lighter(110));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window.lighter(115));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Link, accent.lighter(120));
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, window.lighter(150));
    p.setColor(QPalette::Midlight, window.lighter(125));
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Button, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, window.lighter(140));
    return p;
}

void applyDarkTheme()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(darkPalette());
}

QIcon symbolIcon(Symbol symbol)
{
    QIcon icon;
    for (const QIcon::Mode mode : { QIcon::Normal, QIcon::Disabled }) {
        const QColor colour = QApplication::palette().color(
            mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active, QPalette::ButtonText);
        QPixmap pixmap(64, 64);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        switch (symbol) {
        case Symbol::Play: {
            QPainterPath path;
            path.moveTo(16, 10);
            path.lineTo(54, 32);
            path.lineTo(16, 54);
            path.closeSubpath();
            p.drawPath(path);
            break;
        }
        case Symbol::Stop: p.drawRoundedRect(QRectF(14, 14, 36, 36), 4, 4); break;
        case Symbol::Dice:
            p.setPen(QPen(colour, 4));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(QRectF(8, 8, 48, 48), 9, 9);
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            for (const QPointF &dot :
                 { QPointF(21, 21), QPointF(43, 21), QPointF(32, 32), QPointF(21, 43), QPointF(43, 43) })
                p.drawEllipse(dot, 5, 5);
            break;
        }
        p.end();
        icon.addPixmap(pixmap, mode);
    }
    return icon;
}

} // namespace continuo::ui
