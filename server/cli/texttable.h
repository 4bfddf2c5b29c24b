// A plain-text table for the output of `tmail … list` commands.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class TextTable
{
public:
    explicit TextTable(QStringList headers);
    void addRow(QStringList cells);
    // Columns padded to their widest cell, a dashed rule under the headers,
    // and "(none)" under it when there are no rows.
    QString render() const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};
