// Renders rows of strings as aligned columns.
#include "cli/texttable.h"

#include <algorithm>

TextTable::TextTable(QStringList headers) : m_headers(std::move(headers)) { }

void TextTable::addRow(QStringList cells)
{
    while (cells.size() < m_headers.size())
        cells.append(QString());
    m_rows.append(std::move(cells));
}

QString TextTable::render() const
{
    QList<int> widths;
    for (const QString &header : m_headers)
        widths.append(int(header.size()));
    for (const QStringList &row : m_rows)
    {
        for (int i = 0; i < widths.size(); ++i)
            widths[i] = std::max(widths[i], int(row.at(i).size()));
    }
    const auto line = [&widths](const QStringList &cells) -> QString {
        QString text;
        for (int i = 0; i < widths.size(); ++i)
        {
            if (i > 0)
                text += QStringLiteral("  ");
            text += i + 1 < widths.size() ? cells.at(i).leftJustified(widths.at(i)) : cells.at(i);
        }
        return text + QLatin1Char('\n');
    };
    QString out = line(m_headers);
    QStringList rules;
    for (int width : widths)
        rules.append(QString(width, QLatin1Char('-')));
    out += line(rules);
    if (m_rows.isEmpty())
        out += QStringLiteral("(none)\n");
    for (const QStringList &row : m_rows)
        out += line(row);
    return out;
}
